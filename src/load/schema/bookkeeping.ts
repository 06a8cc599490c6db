/** Every table that is not a stream's: what the sync keeps about its own work. */
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  type PgSchema,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { counter, idx, ts } from './column-sets.ts';

export const bookkeepingTables = (s: PgSchema) => ({
  /** One row per (stream, partition): the walk in progress or last completed, written with its rows. */
  sync_state: s.table(
    'sync_state',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      walk_id: text().notNull(),
      resume: jsonb(),
      complete: boolean().notNull().default(false),
      pages: counter(),
      high_water: text(),
      /** Parent value (e.g. thread last_message_at) when the current walk began. */
      walk_fingerprint: text(),
      /** Parent value when this partition was last walked completely. */
      parent_fingerprint: text(),
      run_id: text(),
      started_at: ts().notNull(),
      completed_at: ts(),
      updated_at: ts().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition] })],
  ),
  /** Primary keys seen by the walk in progress; the sweep at walk completion reads them. */
  walk_seen: s.table(
    'walk_seen',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      walk_id: text().notNull(),
      pk: text().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition, t.walk_id, t.pk] })],
  ),
  /** One row per run (`stream = '*'`) and per stream in it. */
  sync_runs: s.table(
    'sync_runs',
    {
      run_id: text().notNull(),
      stream: text().notNull(),
      trigger: text().notNull(),
      status: text().notNull(),
      streams: jsonb(),
      /** A `--full-refresh` run (inline or queued); a `sync` continuing it after a crash keeps it one. */
      full_refresh: boolean().notNull().default(false),
      started_at: ts().notNull(),
      finished_at: ts(),
      pages: counter(),
      records_read: counter(),
      inserted: counter(),
      updated: counter(),
      unchanged: counter(),
      deleted: counter(),
      /** Deletions the mass-delete guard held (not applied) in this run; see held_deletions. */
      held_deletions: counter(),
      rejected: counter(),
      /** Entries written to rows' `_changes`: typed values dropped (NULL) and `raw` strings repaired. */
      values_dropped: counter(),
      requests: counter(),
      retries: counter(),
      rate_limited: counter(),
      rate_limit_wait_seconds: doublePrecision().notNull().default(0),
      /** Requests by HTTP status, e.g. {"200": 41, "429": 2}; `network` / `timeout` when none came back. */
      requests_by_status: jsonb().$type<Record<string, number>>().notNull().default({}),
      cursor_before: text(),
      cursor_after: text(),
      error_class: text(),
      error_message: text(),
    },
    (t) => [primaryKey({ columns: [t.run_id, t.stream] }), idx('sync_runs', t.started_at)],
  ),
  /**
   * Deletions held by the mass-delete guard, one row per (stream, partition): the keys a complete
   * walk missed that would have soft-deleted an unusual share of the partition's live rows. The
   * next complete walk applies the keys it misses again and drops the ones it sees.
   */
  held_deletions: s.table(
    'held_deletions',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      /** Primary keys held (row-mapper's PK text: values joined by U+001F). */
      pks: text().array().notNull(),
      held: integer().notNull(),
      live: integer().notNull(),
      first_held_at: ts().notNull(),
      first_held_run_id: text().notNull(),
      last_run_id: text().notNull(),
      updated_at: ts().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition] })],
  ),
  rejected_records: s.table(
    'rejected_records',
    {
      id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      run_id: text(),
      stream: text().notNull(),
      partition: text().notNull(),
      reason: text().notNull(),
      raw: jsonb().notNull(),
      rejected_at: ts().notNull().defaultNow(),
    },
    (t) => [idx('rejected_records', t.run_id), idx('rejected_records', t.stream)],
  ),
  /**
   * One row per webhook delivery `puffle-sync webhooks` accepted, keyed by its Svix message id:
   * the replay guard, and the queue of targeted syncs still owed (status `pending`).
   */
  webhook_events: s.table(
    'webhook_events',
    {
      message_id: text().primaryKey(),
      event_type: text().notNull(),
      stream: text(),
      object_id: text(),
      expect_status: text(),
      detected_at: ts(),
      event_at: ts(),
      received_at: ts().notNull().defaultNow(),
      status: text().notNull(),
      attempts: counter(),
      next_attempt_at: ts(),
      run_id: text(),
      synced_at: ts(),
    },
    (t) => [
      index('webhook_events_stream_status_idx').on(t.stream, t.status),
      idx('webhook_events', t.synced_at),
    ],
  ),
});
