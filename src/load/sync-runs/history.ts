/**
 * The read side of sync_runs, for status reports (`puffle-sync status`, the dashboard's page and
 * /api/status): per stream its newest run, newest success and newest error; the newest whole runs
 * with their counters. write.ts writes the same table. Timestamps come back as ISO 8601 UTC text.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseReader } from '../reader.ts';
import { iso } from '../timestamps.ts';
import { RUN_ROW } from './run-row.ts';

export interface StreamRunFacts {
  stream: string;
  lastSuccessAt: string | null;
  /** Seconds since that success, by the database's clock. */
  ageSeconds: number | null;
  lastRun: {
    runId: string;
    status: string;
    trigger: string;
    startedAt: string;
    finishedAt: string | null;
    rateLimited: number;
    rateLimitWaitSeconds: number;
    /** sync_runs.values_dropped of that run. */
    valuesDropped: number;
  } | null;
  lastError: { name: string; message: string; at: string | null } | null;
}

export interface RunCounters {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Deletions the mass-delete guard held (sync_runs.held_deletions). */
  held: number;
  rejected: number;
  /** Values dropped or repaired (sync_runs.values_dropped). */
  dropped: number;
  requests: number;
  retries: number;
  rateLimited: number;
  rateLimitWaitSeconds: number;
  /** Requests by HTTP status, e.g. {"200": 41, "429": 2}. */
  requestsByStatus: Record<string, number>;
}

export interface RecentRun extends RunCounters {
  runId: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  /** finished − started; for a running run, until now. */
  durationSeconds: number;
  error: { name: string; message: string } | null;
}

type FactsRow = { stream: string } & Record<string, unknown>;

export async function readStreamRunFacts(database: DatabaseReader): Promise<Map<string, StreamRunFacts>> {
  const t = database.tables.sync_runs;
  const [success, latest, errors] = await Promise.all([
    database.query<{ stream: string; at: string; age: number }>(sql`
      select stream, ${iso(sql`max(finished_at)`)} as at, extract(epoch from now() - max(finished_at))::float8 as age
      from ${t} where status = 'succeeded' and stream <> ${RUN_ROW} group by stream`),
    database.query<FactsRow>(sql`
      select distinct on (stream) stream, run_id as "runId", status, trigger,
        ${iso(sql`started_at`)} as "startedAt", ${iso(sql`finished_at`)} as "finishedAt",
        rate_limited::float8 as "rateLimited", rate_limit_wait_seconds::float8 as "rateLimitWaitSeconds",
        values_dropped::float8 as "valuesDropped"
      from ${t} where stream <> ${RUN_ROW} order by stream, started_at desc`),
    database.query<FactsRow>(sql`
      select distinct on (stream) stream, error_class as name, coalesce(error_message, '') as message,
        ${iso(sql`coalesce(finished_at, started_at)`)} as at
      from ${t} where stream <> ${RUN_ROW} and error_class is not null order by stream, started_at desc`),
  ]);
  const out = new Map<string, StreamRunFacts>();
  const facts = (stream: string) => {
    let f = out.get(stream);
    if (!f) {
      f = { stream, lastSuccessAt: null, ageSeconds: null, lastRun: null, lastError: null };
      out.set(stream, f);
    }
    return f;
  };
  for (const r of success)
    Object.assign(facts(r.stream), { lastSuccessAt: r.at, ageSeconds: Math.round(r.age) });
  for (const { stream, ...run } of latest) facts(stream).lastRun = run as StreamRunFacts['lastRun'];
  for (const { stream, ...err } of errors) facts(stream).lastError = err as StreamRunFacts['lastError'];
  return out;
}

/** The newest `limit` whole runs (the `*` rows), newest first. */
export async function readRecentRuns(database: DatabaseReader, limit: number): Promise<RecentRun[]> {
  const t = database.tables.sync_runs;
  const found = await database.query<Record<string, unknown>>(sql`
    select run_id as "runId", trigger, status, ${iso(sql`started_at`)} as "startedAt",
      ${iso(sql`finished_at`)} as "finishedAt",
      extract(epoch from coalesce(finished_at, now()) - started_at)::float8 as "durationSeconds",
      records_read::float8 as read, inserted::float8 as inserted, updated::float8 as updated,
      unchanged::float8 as unchanged, deleted::float8 as deleted, held_deletions::float8 as held,
      rejected::float8 as rejected, values_dropped::float8 as dropped,
      requests::float8 as requests, retries::float8 as retries, rate_limited::float8 as "rateLimited",
      rate_limit_wait_seconds::float8 as "rateLimitWaitSeconds", requests_by_status as "requestsByStatus",
      error_class as "errorName", error_message as "errorMessage"
    from ${t} where stream = ${RUN_ROW} order by started_at desc limit ${limit}`);
  return found.map(({ errorName, errorMessage, requestsByStatus, ...run }) => ({
    ...(run as Omit<RecentRun, 'error' | 'requestsByStatus'>),
    requestsByStatus: numbers(requestsByStatus),
    error: errorName ? { name: String(errorName), message: String(errorMessage ?? '') } : null,
  }));
}

/** jsonb arrives parsed from node-postgres and PGlite alike; counters may be text in old rows. */
function numbers(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) if (Number.isFinite(Number(v))) out[k] = Number(v);
  return out;
}
