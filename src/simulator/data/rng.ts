/**
 * Deterministic randomness: every generated value is a pure function of (seed, stream tag,
 * record index, …), so record i can be rebuilt at any time without keeping it in memory.
 */

export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

export function hash(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = mix(h, p | 0);
  return h;
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** A small seeded PRNG (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** `value` with probability 1-p, else null. */
  maybe<T>(value: T, pNull = 0.2): T | null {
    return this.bool(pNull) ? null : value;
  }

  hex(len: number): string {
    let out = '';
    while (out.length < len) {
      const v = this.next();
      out += `${HEX[v >>> 24]}${HEX[(v >>> 16) & 0xff]}${HEX[(v >>> 8) & 0xff]}${HEX[v & 0xff]}`;
    }
    return out.length === len ? out : out.slice(0, len);
  }
}

/** A UUIDv7-shaped id whose 48-bit prefix is `ms`: ids sort like their creation times. */
export function uuid7(ms: number, rng: Rng): string {
  const t = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const r = rng.hex(19);
  const variant = ((Number.parseInt(r[3] as string, 16) & 0x3) | 0x8).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

/** The millisecond prefix of an id made by `uuid7`, or undefined if it is not one. */
export function uuid7Ms(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** A random (v4-shaped) UUID from the PRNG. */
export function uuid4(rng: Rng): string {
  const r = rng.hex(32);
  const variant = ((Number.parseInt(r[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(13, 16)}-${variant}${r.slice(17, 20)}-${r.slice(20, 32)}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
