/**
 * An id space: record i of a stream has id `uuid7(baseMs + i·stepMs)` with seeded random bits,
 * so an id decodes back to its index without a lookup table.
 */
import { hash, Rng, uuid7, uuid7Ms } from './rng.ts';

export class IdSpace {
  readonly baseMs: number;

  constructor(
    readonly seed: number,
    readonly tag: number,
    readonly count: number,
    readonly stepMs: number,
    endMs: number,
  ) {
    this.baseMs = endMs - (count + 1) * stepMs;
  }

  rng(i: number, salt = 0): Rng {
    return new Rng(hash(this.seed, this.tag, i, salt));
  }

  createdMs(i: number): number {
    return this.baseMs + i * this.stepMs;
  }

  id(i: number): string {
    return uuid7(this.createdMs(i), this.rng(i, 0x1d));
  }

  indexOf(id: string): number | undefined {
    const ms = uuid7Ms(id);
    if (ms === undefined) return undefined;
    const d = ms - this.baseMs;
    if (d < 0 || d % this.stepMs !== 0) return undefined;
    const i = d / this.stepMs;
    if (i >= this.count || this.id(i) !== id) return undefined;
    return i;
  }
}

/** Children split among parents: parent p owns global child indexes [start(p), start(p)+size(p)). */
export class Segments {
  private readonly starts: number[];

  constructor(readonly sizes: readonly number[]) {
    this.starts = [];
    let acc = 0;
    for (const s of sizes) {
      this.starts.push(acc);
      acc += s;
    }
    this.total = acc;
  }

  readonly total: number;

  start(p: number): number {
    return this.starts[p] ?? this.total;
  }

  size(p: number): number {
    return this.sizes[p] ?? 0;
  }

  /** The parent owning global index g. */
  parentOf(g: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
