/**
 * The simulated account: generated stores plus the mutation API (insert / update / remove), the
 * scheduled jobs Puffle runs by its clock, and the side effects of the endpoints a sync must never
 * call.
 */

import { MutationError } from '../errors/mutation-error.ts';
import type { ExpectedRecord, Mutator, StreamName } from '../types.ts';
import type { DataChange } from '../webhooks/events.ts';
import { buildStores, type Stores } from './build-stores.ts';
import { Clock } from './clock.ts';
import type { Collection, Rec } from './collection.ts';
import { DerivedStore } from './derived-store.ts';
import { hash, iso, Rng, uuid7 } from './rng.ts';
import { signalCutoff } from './signal-cleanup.ts';
import type { Store } from './store.ts';
import { World } from './world.ts';

/** Only the 20 most recent lead-search tasks are listed. */
export const LISTED_TASKS = 20;

export class Dataset {
  readonly world: World;
  readonly stores: Stores;
  readonly clock: Clock;
  private seq = 0;
  private lastMs = 0;
  /** Moves on every mutation. */
  private version = 0;
  private signalsCutoff = Number.NEGATIVE_INFINITY;
  /** Told of every insert and update (webhook events are fired from here). */
  onChange?: (change: DataChange) => void;
  /** False: Puffle never created the Svix app for this account (the portal endpoint answers 404). */
  webhookApp = true;

  constructor(seed: number, scale: number, clockStartMs?: number) {
    this.world = new World(seed, scale);
    this.clock = new Clock(clockStartMs);
    this.stores = buildStores(
      this.world,
      () => this.version,
      () => this.clock.now(),
    );
  }

  /** Strictly increasing clock ms, so consecutive changes always move timestamps. */
  now(): number {
    this.lastMs = Math.max(this.clock.now(), this.lastMs + 1);
    return this.lastMs;
  }

  /** A stream's store, after the scheduled jobs due by the clock have run. */
  store(stream: StreamName): Store {
    const s = this.stores[stream];
    if (!s) throw new MutationError(`unknown stream "${stream}"`);
    this.runDueJobs();
    return s;
  }

  /** The daily signal cleanup (signal-cleanup.ts), applied when the clock passed a run. */
  private runDueJobs(): void {
    const cutoff = signalCutoff(this.clock.now());
    if (cutoff <= this.signalsCutoff) return;
    this.signalsCutoff = cutoff;
    const { baseMs, stepMs } = this.world.signals;
    // Generated signal i was created at baseMs + i·stepMs: those below `floor` are older than the cutoff.
    const floor = Math.max(0, Math.ceil((cutoff - baseMs) / stepMs));
    this.stores.signals.get('')!.expire(floor, (r) => Date.parse(String(r.createdAt)) < cutoff);
  }

  partitions(stream: StreamName): string[] {
    return stream === 'enrichment_runs' ? this.enrichmentRunIds : this.store(stream).partitions();
  }

  *expected(stream: StreamName, at?: { date?: string }): Generator<ExpectedRecord> {
    const store = this.store(stream);
    for (const partition of store.partitions()) {
      if (at?.date && store instanceof DerivedStore) {
        for (const record of store.on(partition, at.date) ?? []) yield { partition, record };
        continue;
      }
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
    const lead =
      stream === 'list_leads' && typeof fields.id === 'string'
        ? this.stores.leads.get('')!.stored(fields.id)
        : undefined;
    if (lead) {
      // Adds an existing lead to the list (served as the lead itself, see build-stores.ts).
      if (coll.stored(String(fields.id)))
        throw new MutationError(`lead ${fields.id} is already in list ${partition}`);
      const served = coll.insert(lead.record, String(fields.id));
      this.version++;
      return served;
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
    if (coll.stored(id)) throw new MutationError(`${stream} already has a record ${id}`);
    // A new lead added to a list is a new lead too (inserted there first: the list serves the lead).
    if (stream === 'list_leads') this.stores.leads.get('')!.insert(record, id);
    const served = coll.insert(record, id);
    this.version++;
    this.onChange?.({ op: 'insert', stream, record: served });
    if (stream === 'thread_messages') {
      this.update('threads', partition, {
        last_message_at: record.sent_at,
        last_message_direction: record.direction,
        last_message_snippet: String(record.body_text ?? '').slice(0, 100),
      });
    }
    return served;
  }

  private update(stream: StreamName, id: string, fields: Rec, partition?: string): Rec {
    const store = this.store(stream);
    const p = partition ?? store.locate(id);
    const coll = p === undefined ? undefined : store.get(p);
    const current = coll?.stored(id);
    if (!coll || !current) throw new MutationError(`${stream} has no record ${id}`);
    // A list's records are leads: changing one changes the lead, in every list.
    if (stream === 'list_leads') return this.update('leads', id, fields);
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
    this.version++;
    this.onChange?.({ op: 'update', stream, record: patch, before: current.record });
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
    this.version++;
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
