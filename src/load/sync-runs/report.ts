/**
 * One run as sync_runs recorded it, row by row: what `sync --queue --wait` follows, what the run
 * job finishes from, and what both runners print (jobs' toSyncSummary). Postgres — not Redis —
 * is the record of a run, so a report survives the queue being flushed.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { partitionsWalkedBy } from '../sync-state.ts';
import { iso } from '../timestamps.ts';
import type { RunCounters } from './history.ts';
import { RUN_ROW } from './run-row.ts';

export interface RunRow extends RunCounters {
  stream: string;
  trigger: string;
  status: string;
  /** Run row: a full refresh (asked for, or an interrupted one this run continues). */
  fullRefresh: boolean;
  startedAt: string;
  finishedAt: string | null;
  pages: number;
  errorClass: string | null;
  errorMessage: string | null;
}

export interface RunReport {
  /** The run's own row (RUN_ROW); undefined until a worker has started the run. */
  run: RunRow | undefined;
  streams: RunRow[];
  /** Per stream, the walks this run committed pages of (sync_state). */
  partitions: Record<string, number>;
}

export async function readRunReport(db: Database, runId: string): Promise<RunReport> {
  const rows = await db.query<RunRow>(sql`
    select stream, trigger, status, full_refresh as "fullRefresh",
      ${iso(sql`started_at`)} as "startedAt", ${iso(sql`finished_at`)} as "finishedAt",
      pages::int as pages, records_read::int as read, inserted::int as inserted, updated::int as updated,
      unchanged::int as unchanged, deleted::int as deleted, held_deletions::int as held, rejected::int as rejected,
      values_dropped::int as dropped, requests::int as requests, retries::int as retries,
      rate_limited::int as "rateLimited", rate_limit_wait_seconds::float8 as "rateLimitWaitSeconds",
      requests_by_status as "requestsByStatus", error_class as "errorClass", error_message as "errorMessage"
    from ${db.tables.sync_runs} where run_id = ${runId} order by started_at, stream`);
  return {
    run: rows.find((r) => r.stream === RUN_ROW),
    streams: rows.filter((r) => r.stream !== RUN_ROW),
    partitions: await partitionsWalkedBy(db, runId),
  };
}
