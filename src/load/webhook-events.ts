/**
 * webhook_events bookkeeping: one row per accepted webhook delivery, keyed by the Svix message
 * id. The row is the replay guard (a second delivery of the same id finds it) and the durable
 * record of a targeted sync still owed (`pending`): whoever runs the sync — the receiver itself or
 * a queue worker — reads the pending rows, walks, then settles them here. A receiver that dies
 * between accepting a delivery and syncing it finds the row again when it restarts.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { StreamName } from '../extract/streams.ts';
import { streamTable } from './columns.ts';
import type { Database } from './database.ts';
import { iso } from './timestamps.ts';

export type WebhookEventStatus = 'pending' | 'synced' | 'ignored' | 'gave_up';

export interface NewWebhookEvent {
  messageId: string;
  type: string;
  /** The stream the event re-syncs; undefined = an event type we ignore. */
  stream?: StreamName;
  objectId?: string;
  /** For events about a status change: the status the row must show to count as landed. */
  expectStatus?: string;
  /** ISO 8601: when the record changed, per the payload (signals: `detected_at`). */
  detectedAt?: string;
  /** ISO 8601: the envelope `timestamp`. */
  eventAt?: string;
}

export interface PendingWebhookEvent {
  messageId: string;
  type: string;
  /** ISO 8601: `detected_at` from the payload, else the envelope timestamp, else the delivery time. */
  detectedAt: string;
}

/** Records a delivery; false when its message id was recorded before (a replay or a Svix retry). */
export async function recordWebhookEvent(database: Database, event: NewWebhookEvent): Promise<boolean> {
  const inserted = await database.query(sql`
    insert into ${database.tables.webhook_events} (message_id, event_type, stream, object_id, expect_status,
      detected_at, event_at, received_at, status)
    values (${event.messageId}, ${event.type}, ${event.stream ?? null}, ${event.objectId ?? null},
      ${event.expectStatus ?? null}, ${event.detectedAt ?? null}, ${event.eventAt ?? null}, now(),
      ${event.stream ? 'pending' : 'ignored'})
    on conflict (message_id) do nothing
    returning 1 as ok`);
  return inserted.length > 0;
}

/** The stream's pending events whose next attempt is due, oldest first. */
export async function duePendingEvents(
  database: Database,
  stream: StreamName,
  limit = 10_000,
): Promise<PendingWebhookEvent[]> {
  return database.query<PendingWebhookEvent>(sql`
    select message_id as "messageId", event_type as type,
      ${iso(sql`coalesce(detected_at, least(event_at, received_at), received_at)`)} as "detectedAt"
    from ${database.tables.webhook_events}
    where stream = ${stream} and status = 'pending' and coalesce(next_attempt_at, received_at) <= now()
    order by received_at limit ${limit}`);
}

export interface PendingByStream {
  stream: StreamName;
  pending: number;
  /** Until the earliest of them is due; negative = due that long ago. */
  dueInMs: number;
}

/** Per stream with pending events: how many, and when the next is due. */
export async function pendingWebhookEvents(database: Database): Promise<PendingByStream[]> {
  const found = await database.query<{
    stream: StreamName;
    pending: number | string;
    wait: number | string;
  }>(sql`
    select stream, count(*)::int as pending,
      (extract(epoch from min(coalesce(next_attempt_at, received_at)) - now()) * 1000)::float8 as wait
    from ${database.tables.webhook_events} where status = 'pending' group by stream order by stream`);
  return found.map((r) => ({ stream: r.stream, pending: Number(r.pending), dueInMs: Number(r.wait) }));
}

export interface SettleOptions {
  stream: StreamName;
  messageIds: readonly string[];
  runId: string;
  /** The targeted walk completed; false = it failed, every event is retried. */
  walked: boolean;
  /** Wait before attempt n+1 after n attempts that did not land the row; past the end → `gave_up`. */
  backoffMs: readonly number[];
}

export interface SettleResult {
  synced: number;
  retrying: number;
  gaveUp: number;
}

/**
 * After a targeted walk: an event whose row is now in the table (live, and showing the expected
 * status) is `synced`; the others wait for another attempt, or are given up after the last one
 * (the nightly run is the backstop). An event with no object id is synced by any completed walk.
 */
export async function settleWebhookEvents(database: Database, opts: SettleOptions): Promise<SettleResult> {
  const t = database.tables.webhook_events;
  const table = streamTable(database.tables, opts.stream);
  const hasStatus = Object.values(getTableColumns(table)).some((c) => c.name === 'status');
  const statusMatches = hasStatus ? sql`and (e.expect_status is null or r.status = e.expect_status)` : sql``;
  const landed = opts.walked
    ? sql`(e.object_id is null or exists (select 1 from ${table} r where r.id = e.object_id
        and r._deleted_at is null ${statusMatches}))`
    : sql`false`;
  const backoffSeconds = opts.backoffMs.map((ms) => ms / 1000);
  const settled = await database.query<{ status: WebhookEventStatus }>(sql`
    with judged as (
      select e.message_id, ${landed} as landed from ${t} e
      where e.message_id = any(${sql.param([...opts.messageIds])}::text[]) and e.status = 'pending')
    update ${t} e set
      status = case when j.landed then 'synced' when e.attempts + 1 > ${backoffSeconds.length} then 'gave_up'
        else 'pending' end,
      attempts = case when j.landed then e.attempts else e.attempts + 1 end,
      next_attempt_at = case when j.landed then null
        else now() + make_interval(secs => (${sql.param(backoffSeconds)}::float8[])[e.attempts + 1]) end,
      run_id = case when j.landed then ${opts.runId} else e.run_id end,
      synced_at = case when j.landed then now() else null end
    from judged j where j.message_id = e.message_id
    returning e.status`);
  const count = (s: WebhookEventStatus) => settled.filter((r) => r.status === s).length;
  return { synced: count('synced'), retrying: count('pending'), gaveUp: count('gave_up') };
}

export interface SettledWebhookEvent {
  type: string;
  stream: StreamName;
  syncedAt: string;
  /** Seconds from the envelope timestamp (else the delivery) to the committed row. */
  eventToRowSeconds: number;
  /** Seconds from the accepted delivery to the committed row. */
  deliveryToRowSeconds: number;
}

/** Events synced after `after` (ISO 8601), oldest first: what /metrics has not observed yet. */
export async function syncedWebhookEventsSince(
  database: Database,
  after: string,
  limit = 10_000,
): Promise<SettledWebhookEvent[]> {
  return database.query<SettledWebhookEvent>(sql`
    select event_type as type, stream, ${iso(sql`synced_at`)} as "syncedAt",
      extract(epoch from synced_at - coalesce(least(event_at, received_at), received_at))::float8 as "eventToRowSeconds",
      extract(epoch from synced_at - received_at)::float8 as "deliveryToRowSeconds"
    from ${database.tables.webhook_events}
    where status = 'synced' and synced_at > ${after}::timestamptz
    order by synced_at limit ${limit}`);
}

/** Deletes settled rows older than `days` (pending rows are kept whatever their age); returns how many. */
export async function pruneWebhookEvents(database: Database, days: number): Promise<number> {
  const gone = await database.query(sql`
    delete from ${database.tables.webhook_events}
    where status <> 'pending' and received_at < now() - make_interval(days => ${days})
    returning 1`);
  return gone.length;
}
