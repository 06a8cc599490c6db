/**
 * One ordered collection of records (a stream, or one partition of a child stream): generated
 * base records plus a mutation overlay (deleted indexes, patched fields, inserted records), so a
 * million-record collection costs only what was mutated.
 *
 * Every record has a numeric key: base record i has key i, inserted records get n, n+1, …
 * `asc` collections serve keys ascending (inserts land at the end); `desc` collections serve
 * them descending (newest first: inserts land at the head and shift offset pages).
 */

export type Rec = Record<string, unknown>;

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
  ) {
    this.nextKey = base.size;
  }

  get size(): number {
    return this.base.size - this.deleted.size + this.inserted.length;
  }

  /** The key of a live or deleted record with this id (for id cursors), else undefined. */
  keyOf(id: string): number | undefined {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) return ins;
    return this.base.indexOf(id);
  }

  get(id: string): Entry | undefined {
    const ins = this.insertedKeys.get(id);
    if (ins !== undefined) {
      const e = this.findInserted(ins);
      if (e) return e;
    }
    const i = this.base.indexOf(id);
    if (i === undefined || this.deleted.has(i)) return undefined;
    return { key: i, record: this.makeBase(i) };
  }

  /** Base record i as currently served (with its patches), or undefined once deleted. */
  baseAt(i: number): Rec | undefined {
    return i < 0 || i >= this.base.size || this.deleted.has(i) ? undefined : this.makeBase(i);
  }

  /** Records in served order, starting after `afterKey` (exclusive). */
  *iterate(afterKey?: number): Generator<Entry> {
    const n = this.base.size;
    if (this.order === 'asc') {
      for (let i = afterKey === undefined ? 0 : Math.max(0, afterKey + 1); i < n; i++) {
        if (!this.deleted.has(i)) yield { key: i, record: this.makeBase(i) };
      }
      for (const e of this.inserted) if (afterKey === undefined || e.key > afterKey) yield e;
    } else {
      for (let j = this.inserted.length - 1; j >= 0; j--) {
        const e = this.inserted[j] as Entry;
        if (afterKey === undefined || e.key < afterKey) yield e;
      }
      for (let i = afterKey === undefined ? n - 1 : Math.min(n - 1, afterKey - 1); i >= 0; i--) {
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

  insert(record: Rec, id: string): Rec {
    const key = this.nextKey++;
    this.inserted.push({ key, record });
    this.insertedKeys.set(id, key);
    return record;
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
          this.insert(record, id);
        } else {
          e.record = record;
        }
        return record;
      }
    }
    const i = this.base.indexOf(id);
    if (i === undefined || this.deleted.has(i)) return undefined;
    if (moveToEnd) {
      const record = { ...this.makeBase(i), ...fields };
      this.markDeleted(i);
      this.insert(record, id);
      return record;
    }
    this.patches.set(i, { ...this.patches.get(i), ...fields });
    return this.makeBase(i);
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
    if (i === undefined || this.deleted.has(i)) return false;
    this.markDeleted(i);
    return true;
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
    const live = n - this.deleted.size;
    if (pos >= live) return (this.inserted[pos - live] as Entry).key;
    let idx = pos;
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
