/**
 * How many rows each stream's table holds, live and soft-deleted, and how many records of each
 * stream sit in rejected_records: the "what is in the warehouse" half of a status report.
 */
import { sql } from 'drizzle-orm';
import { STREAM_NAMES, type StreamName } from '../extract/streams.ts';
import type { DatabaseReader } from './reader.ts';

export interface StreamRowCounts {
  live: number;
  deleted: number;
  /** Live rows whose `_changes` is not empty: a value was dropped or `raw` repaired when last written. */
  withChanges: number;
  rejected: number;
}

export async function readRowCounts(database: DatabaseReader): Promise<Map<StreamName, StreamRowCounts>> {
  const { tables } = database;
  const perTable = STREAM_NAMES.map(
    (stream) => sql`select ${stream}::text as stream,
      count(*) filter (where _deleted_at is null)::float8 as live,
      count(*) filter (where _deleted_at is not null)::float8 as deleted,
      count(*) filter (where _deleted_at is null and _changes <> '[]'::jsonb)::float8 as changed
      from ${tables.streams[stream]}`,
  );
  const [rowsFound, rejectedFound] = await Promise.all([
    database.query<{ stream: StreamName; live: number; deleted: number; changed: number }>(
      sql.join(perTable, sql` union all `),
    ),
    database.query<{ stream: string; n: number }>(
      sql`select stream, count(*)::float8 as n from ${tables.rejected_records} group by stream`,
    ),
  ]);
  const rejected = new Map(rejectedFound.map((r) => [r.stream, r.n]));
  return new Map(
    rowsFound.map((r) => [
      r.stream,
      { live: r.live, deleted: r.deleted, withChanges: r.changed, rejected: rejected.get(r.stream) ?? 0 },
    ]),
  );
}
