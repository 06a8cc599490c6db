/**
 * What the dashboard reads from Postgres at scrape time: sync_runs and sync_state summed for the
 * whole fleet (every worker writes there), so any number of dashboards report the same figures.
 * Run rows (`stream = '*'`) are kept apart from stream rows so sums never count a request twice.
 */
import type { QueryResultRow } from 'pg';
import { sqlStateOf } from '../load/index.ts';
import type { TextQuery } from './text-query.ts';

export const RECORD_OUTCOMES = ['read', 'inserted', 'updated', 'unchanged', 'deleted', 'rejected'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export interface StreamTotals {
  stream: string;
  pages: number;
  requests: number;
  /**
   * The same requests by HTTP status (`network` / `timeout` when none came back); requests
   * recorded before sync_runs had per-status counters appear as `unknown`.
   */
  requestsByStatus: Record<string, number>;
  rateLimited: number;
  retries: number;
  rateLimitWaitSeconds: number;
  records: Record<RecordOutcome, number>;
  /** sync_runs.values_dropped summed: entries written to rows' `_changes`. */
  valuesDropped: number;
  /** Finished stream runs by status. */
  runsByStatus: Record<string, number>;
  /** Sum of the durations of finished runs. */
  durationSecondsSum: number;
}

export interface WarehouseStats {
  streams: StreamTotals[];
  /** Whole runs (`stream = '*'`) by trigger and status, running ones included. */
  runs: Array<{ trigger: string; status: string; count: number }>;
  /** Newest succeeded run per stream (and `'*'` for whole runs), epoch seconds. */
  lastSuccess: Record<string, number>;
  /** Duration of the newest finished run per stream (and `'*'`), seconds. */
  lastDuration: Record<string, number>;
  partitions: Array<{ stream: string; complete: boolean; count: number }>;
  /** Newest completed walk per stream, epoch seconds. */
  lastWalkCompleted: Record<string, number>;
  /** Rows the mass-delete guard holds from deletion now, per stream (held_deletions). */
  heldDeletions: Record<string, number>;
}

/** One row of the totals query: counters summed per (stream, trigger, status). */
type TotalsRow = { stream: string; trigger: string; status: string; runs: number; duration: number } & Record<
  RecordOutcome | 'pages' | 'requests' | 'retries' | 'rate_limited' | 'wait',
  number
>;

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_COLUMN = '42703';
const RUN_ROW = '*';

/** Empty stats (not an error) when the tables do not exist yet: nobody has migrated. */
export async function readWarehouseStats(pool: TextQuery, schema: string): Promise<WarehouseStats> {
  const runs = `"${schema}".sync_runs`;
  const state = `"${schema}".sync_state`;
  try {
    const [totals, success, duration, partitions, byStatus, dropped, held] = await Promise.all([
      pool.query<TotalsRow>(`
        select stream, trigger, status, count(*)::int as runs,
          sum(pages)::float8 as pages, sum(records_read)::float8 as read, sum(inserted)::float8 as inserted,
          sum(updated)::float8 as updated, sum(unchanged)::float8 as unchanged,
          sum(deleted)::float8 as deleted, sum(rejected)::float8 as rejected,
          sum(requests)::float8 as requests, sum(retries)::float8 as retries,
          sum(rate_limited)::float8 as rate_limited, sum(rate_limit_wait_seconds)::float8 as wait,
          coalesce(sum(extract(epoch from finished_at - started_at)), 0)::float8 as duration
        from ${runs} group by stream, trigger, status`),
      pool.query(`
        select stream, extract(epoch from max(finished_at))::float8 as at
        from ${runs} where status = 'succeeded' group by stream`),
      pool.query(`
        select distinct on (stream) stream, extract(epoch from finished_at - started_at)::float8 as seconds
        from ${runs} where finished_at is not null order by stream, finished_at desc`),
      pool.query(`
        select stream, complete, count(*)::int as count, extract(epoch from max(completed_at))::float8 as at
        from ${state} group by stream, complete`),
      readRequestsByStatus(pool, runs),
      readValuesDropped(pool, runs),
      readHeldDeletions(pool, `"${schema}".held_deletions`),
    ]);
    return {
      streams: sumStreams(totals.rows, byStatus, dropped),
      runs: totals.rows
        .filter((r) => r.stream === RUN_ROW)
        .map((r) => ({ trigger: r.trigger, status: r.status, count: r.runs })),
      lastSuccess: Object.fromEntries(success.rows.map((r) => [r.stream, r.at])),
      lastDuration: Object.fromEntries(duration.rows.map((r) => [r.stream, r.seconds])),
      partitions: partitions.rows.map((r) => ({ stream: r.stream, complete: r.complete, count: r.count })),
      lastWalkCompleted: newestPerStream(partitions.rows),
      heldDeletions: held,
    };
  } catch (err) {
    if (sqlStateOf(err) === UNDEFINED_TABLE) return emptyStats();
    throw err;
  }
}

/**
 * Rows of a read whose column or table a newer dashboard expects before the warehouse has it
 * (workers not restarted, so not migrated yet): none, rather than a failed scrape.
 */
async function rowsOnceMigrated<T extends QueryResultRow>(pool: TextQuery, text: string): Promise<T[]> {
  try {
    return (await pool.query<T>(text)).rows;
  } catch (err) {
    const code = sqlStateOf(err);
    if (code === UNDEFINED_COLUMN || code === UNDEFINED_TABLE) return [];
    throw err;
  }
}

/** Per stream and status; before the column exists every request is reported as `unknown`. */
function readRequestsByStatus(pool: TextQuery, runs: string): Promise<StatusRow[]> {
  return rowsOnceMigrated<StatusRow>(
    pool,
    `select r.stream, s.key as status, sum(s.value::bigint)::float8 as n
      from ${runs} r cross join lateral jsonb_each_text(r.requests_by_status) s
      where r.stream <> '${RUN_ROW}' group by r.stream, s.key`,
  );
}

type StatusRow = { stream: string; status: string; n: number };
type StreamCount = { stream: string; n: number };

function readValuesDropped(pool: TextQuery, runs: string): Promise<StreamCount[]> {
  return rowsOnceMigrated<StreamCount>(
    pool,
    `select stream, sum(values_dropped)::float8 as n from ${runs} where stream <> '${RUN_ROW}' group by stream`,
  );
}

async function readHeldDeletions(pool: TextQuery, table: string): Promise<Record<string, number>> {
  const rows = await rowsOnceMigrated<StreamCount>(
    pool,
    `select stream, sum(held)::float8 as n from ${table} group by stream`,
  );
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

function sumStreams(rows: TotalsRow[], byStatus: StatusRow[], dropped: StreamCount[]): StreamTotals[] {
  const byStream = new Map<string, StreamTotals>();
  for (const r of rows) {
    if (r.stream === RUN_ROW) continue;
    let t = byStream.get(r.stream);
    if (!t) {
      t = {
        stream: r.stream,
        pages: 0,
        requests: 0,
        requestsByStatus: {},
        rateLimited: 0,
        retries: 0,
        rateLimitWaitSeconds: 0,
        records: { read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 },
        valuesDropped: 0,
        runsByStatus: {},
        durationSecondsSum: 0,
      };
      byStream.set(r.stream, t);
    }
    t.pages += r.pages;
    t.requests += r.requests;
    t.rateLimited += r.rate_limited;
    t.retries += r.retries;
    t.rateLimitWaitSeconds += r.wait;
    for (const outcome of RECORD_OUTCOMES) t.records[outcome] += r[outcome];
    t.runsByStatus[r.status] = (t.runsByStatus[r.status] ?? 0) + r.runs;
    t.durationSecondsSum += r.duration;
  }
  for (const r of byStatus) {
    const t = byStream.get(r.stream);
    if (t) t.requestsByStatus[r.status] = r.n;
  }
  for (const r of dropped) {
    const t = byStream.get(r.stream);
    if (t) t.valuesDropped = r.n;
  }
  for (const t of byStream.values()) {
    const counted = Object.values(t.requestsByStatus).reduce((a, b) => a + b, 0);
    if (t.requests > counted) t.requestsByStatus.unknown = t.requests - counted;
  }
  return [...byStream.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

function newestPerStream(rows: Array<{ stream: string; at: number | null }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.at !== null && !(r.at <= (out[r.stream] ?? -1))) out[r.stream] = r.at;
  return out;
}

export function emptyStats(): WarehouseStats {
  return {
    streams: [],
    runs: [],
    lastSuccess: {},
    lastDuration: {},
    partitions: [],
    lastWalkCompleted: {},
    heldDeletions: {},
  };
}
