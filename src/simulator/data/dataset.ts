/**
 * The simulated account: generated stores plus the mutation API (insert / update / remove) and
 * the side effects of the endpoints a sync must never call.
 */

import { MutationError } from '../errors/mutation-error.ts';
import type { ExpectedRecord, Mutator, StreamName } from '../types.ts';
import { buildStores, type Stores } from './build-stores.ts';
import type { Collection, Rec } from './collection.ts';
import { hash, iso, Rng, uuid7 } from './rng.ts';
import type { Store } from './store.ts';
import { World } from './world.ts';

/** Only the 20 most recent lead-search tasks are listed. */
export const LISTED_TASKS = 20;

export class Dataset {
  readonly world: World;
  readonly stores: Stores;
  private seq = 0;
  private lastMs = 0;

  constructor(seed: number, scale: number) {
    this.world = new World(seed, scale);
    this.stores = buildStores(this.world);
  }

  /** Strictly increasing wall-clock ms, so consecutive changes always move timestamps. */
  now(): number {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return this.lastMs;
  }

  store(stream: StreamName): Store {
    const s = this.stores[stream];
    if (!s) throw new MutationError(`unknown stream "${stream}"`);
    return s;
  }

  partitions(stream: StreamName): string[] {
    return stream === 'enrichment_runs' ? this.enrichmentRunIds : this.store(stream).partitions();
  }

  *expected(stream: StreamName): Generator<ExpectedRecord> {
    const store = this.store(stream);
    for (const partition of store.partitions()) {
      const coll = store.get(partition) as Collection;
      let n = 0;
      for (const { record } of coll.iterate()) {
        if (stream === 'lead_search_tasks' && n++ >= LISTED_TASKS) break;
        yield { partition: stream === 'enrichment_runs' ? String(record.id) : partition, record };
      }
    }
  }

  count(stream: StreamName): number {
    const store = this.store(stream);
    let total = 0;
    for (const p of store.partitions()) total += store.get(p)?.size ?? 0;
    return stream === 'lead_search_tasks' ? Math.min(total, LISTED_TASKS) : total;
  }

  get enrichmentRunIds(): string[] {
    return [...this.stores.enrichment_runs.get('')!.iterate()].map((e) => String(e.record.id));
  }

  readonly mutate: Mutator = {
    insert: (stream, partition = '', fields = {}) => this.insert(stream, partition, fields),
    update: (stream, id, fields = {}, partition) => this.update(stream, id, fields, partition),
    remove: (stream, id, partition) => this.remove(stream, id, partition),
  };

  private collection(stream: StreamName, partition: string): Collection {
    const coll = this.store(stream).get(partition);
    if (!coll) throw new MutationError(`${stream} has no partition "${partition}"`);
    return coll;
  }

  private insert(stream: StreamName, partition: string, fields: Rec): Rec {
    const store = this.store(stream);
    const coll = this.collection(stream, partition);
    const { idField, created, updated, parentField } = store.shape;
    const seq = ++this.seq;
    if (
      stream === 'list_leads' &&
      typeof fields.id === 'string' &&
      this.stores.leads.get('')!.get(fields.id)
    ) {
      if (coll.get(fields.id)) throw new MutationError(`lead ${fields.id} is already in list ${partition}`);
      return coll.insert({ ...this.stores.leads.get('')!.get(fields.id)!.record, ...fields }, fields.id);
    }
    const ms = this.now();
    let record: Rec = {
      ...store.template(partition, seq),
      [idField]: uuid7(ms, new Rng(hash(this.world.seed, 0x5e9, seq))),
    };
    for (const path of [created, updated]) if (path) record = setPath(record, path, iso(ms));
    if (parentField) record[parentField] = partition;
    record = { ...record, ...fields };
    const id = String(record[idField]);
    if (coll.get(id)) throw new MutationError(`${stream} already has a record ${id}`);
    coll.insert(record, id);
    if (stream === 'list_leads') this.stores.leads.get('')!.insert(record, id);
    if (stream === 'thread_messages') {
      this.update('threads', partition, {
        last_message_at: record.sent_at,
        last_message_direction: record.direction,
        last_message_snippet: String(record.body_text ?? '').slice(0, 100),
      });
    }
    return record;
  }

  private update(stream: StreamName, id: string, fields: Rec, partition?: string): Rec {
    const store = this.store(stream);
    const p = partition ?? store.locate(id);
    const coll = p === undefined ? undefined : store.get(p);
    const current = coll?.get(id);
    if (!coll || !current) throw new MutationError(`${stream} has no record ${id}`);
    let patch: Rec = { ...fields };
    const { updated, moveOn } = store.shape;
    if (updated && !hasPath(fields, updated)) {
      const top = updated.split('.')[0] as string;
      patch[top] = setPath(current.record, updated, iso(this.now()))[top];
    }
    if (updated?.includes('.')) {
      const top = updated.split('.')[0] as string;
      if (fields[top] && typeof fields[top] === 'object')
        patch[top] = { ...(current.record[top] as Rec), ...(patch[top] as Rec) };
    }
    const move = moveOn?.some((f) => f in fields) ?? false;
    patch = coll.patch(id, patch, move) as Rec;
    return patch;
  }

  private remove(stream: StreamName, id: string, partition?: string): void {
    const store = this.store(stream);
    const p = partition ?? store.locate(id);
    const coll = p === undefined ? undefined : store.get(p);
    if (!coll?.remove(id)) throw new MutationError(`${stream} has no record ${id}`);
    if (stream === 'leads') {
      const lists = this.stores.list_leads;
      for (const listId of lists.partitions()) lists.get(listId)?.remove(id);
    }
  }

  // --- side effects of the endpoints a sync must never call -------------------------------

  /** GET /api/threads/{id} and /api/conversations/{id}: marks the thread read. */
  markThreadRead(id: string): Rec | undefined {
    const t = this.stores.threads.get('')!.get(id);
    if (!t) return undefined;
    return (t.record.unread_count as number) > 0 ? this.update('threads', id, { unread_count: 0 }) : t.record;
  }

  /** GET /api/email/accounts/warmup-analytics: applies warmup status transitions. */
  applyWarmupTransitions(): Record<string, Rec> {
    const out: Record<string, Rec> = {};
    const coll = this.stores.email_accounts.get('')!;
    for (const { record } of [...coll.iterate()]) {
      if (record.warmup_status === 'not_started') {
        const r = this.update('email_accounts', String(record.id), { warmup_status: 'warming' });
        out[String(record.id)] = { warmup_status: r.warmup_status, status: r.status };
      }
    }
    return out;
  }

  /** GET /api/email/domains without skip_sync: a live DNS refresh touches every domain. */
  refreshDomains(): void {
    const coll = this.stores.email_domains.get('')!;
    for (const { record } of [...coll.iterate()]) this.update('email_domains', String(record.id), {});
  }

  /** GET /api/unipile/accounts: may flip a LinkedIn account to disconnected. */
  flipUnipileAccounts(): Rec[] {
    const coll = this.stores.senders.get('')!;
    const linkedin = [...coll.iterate()].map((e) => e.record).filter((r) => r.type === 'linkedin');
    const first = linkedin.find((r) => r.status !== 'disconnected');
    if (first) this.update('senders', String(first.id), { status: 'disconnected' });
    return linkedin;
  }
}

function hasPath(obj: Rec, path: string): boolean {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || !(part in (cur as Rec))) return false;
    cur = (cur as Rec)[part];
  }
  return true;
}

/** A copy of `obj` with the dotted `path` set (copies each object on the way). */
function setPath(obj: Rec, path: string, value: unknown): Rec {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...obj, [head]: value };
  const inner = obj[head] && typeof obj[head] === 'object' ? (obj[head] as Rec) : {};
  return { ...obj, [head]: setPath(inner, rest.join('.'), value) };
}
