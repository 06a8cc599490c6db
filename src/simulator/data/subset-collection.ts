/**
 * A live subset of another collection: reads see the source's records that `keep` accepts, and
 * writes go to the source. Puffle's senders, accounts and email accounts are one row
 * (docs/puffle-api.md), so `email_accounts` is the email-type subset of `senders`, not a copy.
 */
import { MutationError } from '../errors/mutation-error.ts';
import { Collection, EMPTY_SOURCE, type Entry, type Rec } from './collection.ts';

export class SubsetCollection extends Collection {
  constructor(
    private readonly source: Collection,
    private readonly keep: (record: Rec) => boolean,
    private readonly what: string,
  ) {
    super(EMPTY_SOURCE, source.order);
  }

  override get size(): number {
    let n = 0;
    for (const _ of this.iterate()) n++;
    return n;
  }

  override keyOf(id: string): number | undefined {
    return this.source.keyOf(id);
  }

  override get(id: string): Entry | undefined {
    const e = this.source.get(id);
    return e && this.keep(e.record) ? e : undefined;
  }

  override stored(id: string): Entry | undefined {
    const e = this.source.stored(id);
    return e && this.keep(e.record) ? e : undefined;
  }

  override baseAt(i: number): Rec | undefined {
    const r = this.source.baseAt(i);
    return r && this.keep(r) ? r : undefined;
  }

  override *storedEntries(afterKey?: number): Generator<Entry> {
    for (const e of this.source.storedEntries(afterKey)) if (this.keep(e.record)) yield e;
  }

  override *iterate(afterKey?: number): Generator<Entry> {
    for (const e of this.source.iterate(afterKey)) if (this.keep(e.record)) yield e;
  }

  override slice(offset: number, limit: number): Rec[] {
    const out: Rec[] = [];
    let pos = 0;
    for (const { record } of this.iterate()) {
      if (pos++ < offset) continue;
      if (out.length >= limit) break;
      out.push(record);
    }
    return out;
  }

  override insert(record: Rec, id: string): Rec {
    if (!this.keep(record)) throw new MutationError(`${this.what} cannot hold this record`);
    return this.source.insert(record, id);
  }

  override patch(id: string, fields: Rec, moveToEnd = false): Rec | undefined {
    return this.get(id) ? this.source.patch(id, fields, moveToEnd) : undefined;
  }

  override remove(id: string): boolean {
    return this.get(id) ? this.source.remove(id) : false;
  }
}
