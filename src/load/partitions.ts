/**
 * Which partitions of a stream to walk this run, decided from the warehouse (parents are synced
 * before children), and the incremental high-water mark.
 *
 * - root stream: `['']`; `fanOut`: its values.
 * - child: ids of parent rows not soft-deleted (and matching `parent.where`), narrowed by freshness:
 *   `once` skips partitions already walked completely; `changed-parents` / `until-finished` keep
 *   only parents whose fingerprint column (thread `last_message_at`, run `status`) differs from
 *   the value stored when the partition was last walked completely, or whose walk is unfinished;
 *   `until-finished` also keeps parents not yet in a terminal status.
 * - `configuredIds` (enrichment_runs): configured ids plus ids already stored, minus those whose
 *   stored row matches the stream's `finishedWhen` and whose walk is complete.
 * `fullRefresh` ignores the freshness narrowing (never the `where` filter or deletions).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { StreamDef, StreamName } from '../extract/streams.ts';
import { columnRef, schemaColumn, streamTable } from './columns.ts';
import type { Database } from './database.ts';
import { fingerprintField, joinState } from './sync-state.ts';
import { iso } from './timestamps.ts';

export interface ListPartitionsOptions {
  /** Ids of the stream's `configuredIds.setting` (PUFFLE_ENRICHMENT_RUN_IDS), resolved by the caller. */
  configuredIds?: readonly string[];
  /** Ignore freshness: every eligible partition. @default false */
  fullRefresh?: boolean;
}

export async function listPartitions(
  database: Database,
  stream: StreamDef,
  opts: ListPartitionsOptions = {},
): Promise<string[]> {
  if (stream.fanOut) return [...stream.fanOut.values];
  if (stream.configuredIds) return configuredPartitions(database, stream, opts);
  if (!stream.parent) return [''];

  const { parent } = stream;
  const table = streamTable(database.tables, parent.stream);
  const id = columnRef('p', table, parent.field);
  const conditions: SQL[] = [sql`p._deleted_at is null`, sql`${id} is not null`];
  for (const [column, values] of Object.entries(parent.where ?? {})) {
    conditions.push(sql`${columnRef('p', table, column)}::text = any(${sql.param([...values])}::text[])`);
  }
  if (!opts.fullRefresh) {
    const field = fingerprintField(stream);
    if (parent.once) conditions.push(sql`s.complete is not true`);
    if (field) {
      const fingerprint = columnRef('p', table, field);
      const unfinished = parent.finishedWhen
        ? sql` or ${fingerprint}::text is null or ${fingerprint}::text <> all(${sql.param([...parent.finishedWhen.values])}::text[])`
        : sql``;
      conditions.push(
        sql`(s.complete is not true or s.parent_fingerprint is distinct from ${fingerprint}::text${unfinished})`,
      );
    }
  }
  const result = await database.query<{ id: string }>(sql`
    select distinct ${id}::text as id from ${table} as p
    ${joinState(database.tables, stream.name, sql`${id}::text`)}
    where ${sql.join(conditions, sql` and `)}
    order by 1`);
  return result.map((r) => r.id);
}

async function configuredPartitions(database: Database, stream: StreamDef, opts: ListPartitionsOptions) {
  const table = streamTable(database.tables, stream.name);
  const configured = [...new Set(opts.configuredIds ?? [])];
  const done = stream.finishedWhen
    ? sql`${columnRef('p', table, stream.finishedWhen.field)}::text = any(${sql.param([...stream.finishedWhen.values])}::text[])`
    : sql`false`;
  const stored = await database.query<{ id: string; finished: boolean }>(sql`
    select p.id::text as id, (${done} and s.complete is true) as finished
    from ${table} as p
    ${joinState(database.tables, stream.name, sql`p.id::text`)}
    where p._deleted_at is null`);
  const finished = new Set(stored.filter((r) => r.finished && !opts.fullRefresh).map((r) => r.id));
  const all = new Set([...configured, ...stored.map((r) => r.id)]);
  return [...all].filter((id) => !finished.has(id)).sort();
}

/**
 * The largest value of `column` in the stream's table (e.g. newest signals.created_at, for
 * `since`); timestamps as ISO 8601 UTC with microseconds. undefined when the table is empty.
 */
export async function maxCursor(
  database: Database,
  stream: StreamName,
  column: string,
): Promise<string | undefined> {
  const table = streamTable(database.tables, stream);
  const col = schemaColumn(table, column);
  const ref = sql`max(${sql.identifier(col.name)})`;
  const value = col.getSQLType().startsWith('timestamp') ? iso(ref) : sql`${ref}::text`;
  const [row] = await database.query<{ v: string | null }>(sql`select ${value} as v from ${table}`);
  return row?.v ?? undefined;
}
