/**
 * The dashboard's figures of sync_runs, summed over every run any worker recorded (so any number
 * of dashboards report the same). Stream rows and run rows (RUN_ROW) are kept apart, so no request
 * is counted twice. Columns a newer dashboard expects before the warehouse is migrated give nothing
 * (once-migrated.ts); a warehouse without the table at all is the caller's to handle.
 */
import { sql } from 'drizzle-orm';
import { rowsOnceMigrated } from '../once-migrated.ts';
import type { DatabaseReader } from '../reader.ts';
import { RUN_ROW } from './run-row.ts';

/** Counters of one stream's rows with one (trigger, status), summed. */
export interface StreamRunTotals {
  stream: string;
  trigger: string;
  status: string;
  runs: number;
  /** Seconds, finished rows only. */
  duration: number;
  pages: number;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  requests: number;
  retries: number;
  rateLimited: number;
  rateLimitWaitSeconds: number;
}

export interface RunTotals {
  /** Per (stream, trigger, status), stream rows only. */
  streams: StreamRunTotals[];
  /** Whole runs by trigger and status, running ones included. */
  runs: Array<{ trigger: string; status: string; count: number }>;
  /** Newest succeeded row per stream (and RUN_ROW for whole runs), epoch seconds. */
  lastSuccess: Record<string, number>;
  /** Duration of the newest finished row per stream (and RUN_ROW), seconds. */
  lastDuration: Record<string, number>;
  /** Requests per stream and HTTP status; empty before the column exists. */
  requestsByStatus: Array<{ stream: string; status: string; n: number }>;
  /** Values dropped per stream; empty before the column exists. */
  valuesDropped: Array<{ stream: string; n: number }>;
}

export async function readRunTotals(reader: DatabaseReader): Promise<RunTotals> {
  const t = reader.tables.sync_runs;
  const [totals, success, duration, byStatus, dropped] = await Promise.all([
    reader.query<StreamRunTotals>(sql`
      select stream, trigger, status, count(*)::int as runs,
        sum(pages)::float8 as pages, sum(records_read)::float8 as read, sum(inserted)::float8 as inserted,
        sum(updated)::float8 as updated, sum(unchanged)::float8 as unchanged,
        sum(deleted)::float8 as deleted, sum(rejected)::float8 as rejected,
        sum(requests)::float8 as requests, sum(retries)::float8 as retries,
        sum(rate_limited)::float8 as "rateLimited", sum(rate_limit_wait_seconds)::float8 as "rateLimitWaitSeconds",
        coalesce(sum(extract(epoch from finished_at - started_at)), 0)::float8 as duration
      from ${t} group by stream, trigger, status`),
    reader.query<{ stream: string; at: number }>(sql`
      select stream, extract(epoch from max(finished_at))::float8 as at
      from ${t} where status = 'succeeded' group by stream`),
    reader.query<{ stream: string; seconds: number }>(sql`
      select distinct on (stream) stream, extract(epoch from finished_at - started_at)::float8 as seconds
      from ${t} where finished_at is not null order by stream, finished_at desc`),
    rowsOnceMigrated<{ stream: string; status: string; n: number }>(
      reader,
      sql`select r.stream, s.key as status, sum(s.value::bigint)::float8 as n
        from ${t} r cross join lateral jsonb_each_text(r.requests_by_status) s
        where r.stream <> ${RUN_ROW} group by r.stream, s.key`,
    ),
    rowsOnceMigrated<{ stream: string; n: number }>(
      reader,
      sql`select stream, sum(values_dropped)::float8 as n from ${t} where stream <> ${RUN_ROW} group by stream`,
    ),
  ]);
  return {
    streams: totals.filter((r) => r.stream !== RUN_ROW),
    runs: totals
      .filter((r) => r.stream === RUN_ROW)
      .map((r) => ({ trigger: r.trigger, status: r.status, count: r.runs })),
    lastSuccess: Object.fromEntries(success.map((r) => [r.stream, r.at])),
    lastDuration: Object.fromEntries(duration.map((r) => [r.stream, r.seconds])),
    requestsByStatus: byStatus,
    valuesDropped: dropped,
  };
}
