/**
 * One ordered collection of records (a stream, or one partition of a child stream): generated
 * base records plus a mutation overlay (deleted indexes, patched fields, inserted records), so a
 * million-record collection costs only what was mutated.
 *
 * Every record has a numeric key: base record i has key i, inserted records get n, n+1, …
 * `asc` collections serve keys ascending (inserts land at the end); `desc` collections serve
 * them descending (newest first: inserts land at the head and shift offset pages).
 *
 * Reads (`get`, `iterate`, `baseAt`, `slice`) return records as served: through the optional
 * `serve` hook, which fills fields derived from other collections (a lead's `lists`). The
 * `stored…` reads skip it.
 */

export type Rec = Record<string, unknown>;

/** Turns a stored record into the served one; `inserted` = not a base record (key ≥ base size). */
export type Serve = (record: Rec, key: number, inserted: boolean) => Rec;

export interface BaseSource {
  size: number;
  make(i: number): Rec;
  /** Local index of a base id, whether or not it was deleted since. */
  indexOf(id: string): number | undefined;
}

export interface Entry {
  key: number;
  record: Rec;
}

export const EMPTY_SOURCE: BaseSource = { size: 0, make: () => ({}), indexOf: () => undefined };

export class Collection {
  /** Base records below this index are gone (an age-based cleanup, see `expire`). */
  private floor = 0;
  private readonly deleted = new Set<number>();
  private sortedDeleted: number[] | null = [];
  private readonly patches = new Map<number, Rec>();
  private readonly inserted: Entry[] = [];
  /** Every key an inserted id ever had (also after removal, so an id cursor still resolves). */
  private readonly insertedKeys = new Map<string, number>();
  private nextKey: number;

  constructor(
    readonly base: BaseSource,
    readonly order: 'asc' | 'desc',
    private readonly serve?: Serve,
  ) {
    this.nextKey = base.size;
  }

  get size(): number {
    return this.base.size - this.floor - this.deleted.size + this.inserted.length;
  }

  /** Base indexes removed from this collection (not counting those below an expiry floor). */
  get deletedBase(): ReadonlySet<number> {
    return this.deleted;
  }

  /** Base indexes with patched fields, and the patches. */
  get patchedBase(): ReadonlyMap<number, Rec> {
    return this.patches;
  }

  /** Inserted records still present, as stored. */
  get insertedEntries(): readonly Entry[] {
    return this.inserted;
  }

  /** Whether `id` is an inserted record still present (no id decoding: cheap for base ids). */
  hasInserted(id: string): boolean {
    const key = this.insertedKeys.get(id);
    return key !== undefined && this.findInserted(key) !== undefined;
  }

  /** The key of a live or deleted record with this id (for id cursors), else undefined. */
  keyOf(id: string): number | undefined {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) return ins;
    return this.base.indexOf(id);
  }

  get(id: string): Entry | undefined {
    const e = this.stored(id);
    return e && this.served(e);
  }

  /** Like `get`, without the `serve` hook. */
  stored(id: string): Entry | undefined {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) {
      const e = this.findInserted(ins);
      if (e) return e;
    }
    const i = this.base.indexOf(id);
    if (i === undefined || !this.isLiveBase(i)) return undefined;
    return { key: i, record: this.makeBase(i) };
  }

  /** Base record i as currently served (with its patches), or undefined once deleted. */
  baseAt(i: number): Rec | undefined {
    const rec = this.storedAt(i);
    return rec && this.serve ? this.serve(rec, i, false) : rec;
  }

  /** Like `baseAt`, without the `serve` hook. */
  storedAt(i: number): Rec | undefined {
    return i >= this.base.size || !this.isLiveBase(i) ? undefined : this.makeBase(i);
  }

  /** Records in served order, starting after `afterKey` (exclusive). */
  *iterate(afterKey?: number): Generator<Entry> {
    for (const e of this.storedEntries(afterKey)) yield this.served(e);
  }

  /** Like `iterate`, without the `serve` hook. */
  *storedEntries(afterKey?: number): Generator<Entry> {
    const n = this.base.size;
    const floor = this.floor;
    if (this.order === 'asc') {
      for (let i = afterKey === undefined ? floor : Math.max(floor, afterKey + 1); i < n; i++) {
        if (!this.deleted.has(i)) yield { key: i, record: this.makeBase(i) };
      }
      for (const e of this.inserted) if (afterKey === undefined || e.key > afterKey) yield e;
    } else {
      for (let j = this.inserted.length - 1; j >= 0; j--) {
        const e = this.inserted[j] as Entry;
        if (afterKey === undefined || e.key < afterKey) yield e;
      }
      for (let i = afterKey === undefined ? n - 1 : Math.min(n - 1, afterKey - 1); i >= floor; i--) {
        if (!this.deleted.has(i)) yield { key: i, record: this.makeBase(i) };
      }
    }
  }

  /** OFFSET semantics: up to `limit` records starting at position `offset` of the served order. */
  slice(offset: number, limit: number): Rec[] {
    const out: Rec[] = [];
    const start = this.entryAt(offset);
    if (start === undefined) return out;
    for (const e of this.iterate(this.order === 'asc' ? start - 1 : start + 1)) {
      out.push(e.record);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Appends a record; returns it as served. */
  insert(record: Rec, id: string): Rec {
    const key = this.nextKey++;
    this.inserted.push({ key, record });
    this.insertedKeys.set(id, key);
    return this.serve ? this.serve(record, key, true) : record;
  }

  /** Replace the fields of a record; `moveToEnd` re-inserts it as the newest (e.g. a bumped thread). */
  patch(id: string, fields: Rec, moveToEnd = false): Rec | undefined {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) {
      const idx = this.inserted.findIndex((e) => e.key === ins);
      if (idx >= 0) {
        const e = this.inserted[idx] as Entry;
        const record = { ...e.record, ...fields };
        if (moveToEnd) {
          this.inserted.splice(idx, 1);
          return this.insert(record, id);
        }
        e.record = record;
        return this.serve ? this.serve(record, e.key, true) : record;
      }
    }
    const i = this.base.indexOf(id);
    if (i === undefined || !this.isLiveBase(i)) return undefined;
    if (moveToEnd) {
      const record = { ...this.makeBase(i), ...fields };
      this.markDeleted(i);
      return this.insert(record, id);
    }
    this.patches.set(i, { ...this.patches.get(i), ...fields });
    return this.baseAt(i);
  }

  remove(id: string): boolean {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) {
      const idx = this.inserted.findIndex((e) => e.key === ins);
      if (idx >= 0) {
        this.inserted.splice(idx, 1);
        return true;
      }
    }
    const i = this.base.indexOf(id);
    if (i === undefined || !this.isLiveBase(i)) return false;
    this.markDeleted(i);
    return true;
  }

  /**
   * An age-based cleanup: base records below index `floor` go (base records are generated in
   * creation order), and so do inserted or patched records for which `drop` (given the stored
   * record) is true.
   */
  expire(floor: number, drop: (record: Rec) => boolean): void {
    if (floor > this.floor) {
      this.floor = Math.min(floor, this.base.size);
      for (const d of this.deleted) if (d < this.floor) this.deleted.delete(d);
      for (const p of this.patches.keys()) if (p < this.floor) this.patches.delete(p);
      this.sortedDeleted = null;
    }
    for (const p of [...this.patches.keys()]) if (drop(this.makeBase(p))) this.markDeleted(p);
    for (let j = this.inserted.length - 1; j >= 0; j--) {
      if (drop((this.inserted[j] as Entry).record)) this.inserted.splice(j, 1);
    }
  }

  private isLiveBase(i: number): boolean {
    return i >= this.floor && !this.deleted.has(i);
  }

  private served(e: Entry): Entry {
    return this.serve ? { key: e.key, record: this.serve(e.record, e.key, e.key >= this.base.size) } : e;
  }

  private markDeleted(i: number): void {
    this.deleted.add(i);
    this.patches.delete(i);
    this.sortedDeleted = null;
  }

  private makeBase(i: number): Rec {
    const patch = this.patches.get(i);
    const rec = this.base.make(i);
    return patch ? { ...rec, ...patch } : rec;
  }

  private findInserted(key: number): Entry | undefined {
    return this.inserted.find((e) => e.key === key);
  }

  /** Key of the record at served position `pos`, or undefined past the end. */
  private entryAt(pos: number): number | undefined {
    if (pos < 0 || pos >= this.size) return undefined;
    const m = this.inserted.length;
    const n = this.base.size;
    if (this.order === 'desc') {
      if (pos < m) return (this.inserted[m - 1 - pos] as Entry).key;
      let idx = n - 1 - (pos - m);
      for (const d of this.deletedSorted().toReversed()) {
        if (d >= idx) idx--;
        else break;
      }
      return idx;
    }
    const live = n - this.floor - this.deleted.size;
    if (pos >= live) return (this.inserted[pos - live] as Entry).key;
    let idx = pos + this.floor;
    for (const d of this.deletedSorted()) {
      if (d <= idx) idx++;
      else break;
    }
    return idx;
  }

  private deletedSorted(): number[] {
    if (!this.sortedDeleted) this.sortedDeleted = [...this.deleted].sort((a, b) => a - b);
    return this.sortedDeleted;
  }
}
