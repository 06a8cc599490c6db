/**
 * A run as Postgres recorded it (sync_runs): what `sync --queue --wait` follows, what the run job
 * finishes from, and what `status` reads. Postgres — not Redis — is the record of a run, so a
 * report survives the queue being flushed.
 */
import { sql } from 'drizzle-orm';
import type { StreamName } from '../../extract/streams.ts';
import { type Database, partitionsWalkedBy, type RunCounters } from '../../load/index.ts';
import type { StreamSummary, SyncSummary } from '../run-sync.ts';

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
  /** The `stream = '*'` row; undefined until a worker has started the run. */
  run: RunRow | undefined;
  streams: RunRow[];
  /** Per stream, the walks this run committed pages of (sync_state). */
  partitions: Record<string, number>;
}

export const RUN_ROW_COLUMNS = sql`stream, trigger, status, full_refresh as "fullRefresh",
  to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startedAt",
  to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "finishedAt",
  pages::int as pages, records_read::int as read, inserted::int as inserted, updated::int as updated,
  unchanged::int as unchanged, deleted::int as deleted, held_deletions::int as held, rejected::int as rejected,
  values_dropped::int as dropped, requests::int as requests,
  retries::int as retries, rate_limited::int as "rateLimited", rate_limit_wait_seconds::float8 as "rateLimitWaitSeconds",
  requests_by_status as "requestsByStatus", error_class as "errorClass", error_message as "errorMessage"`;

export async function readRunReport(db: Database, runId: string): Promise<RunReport> {
  const rows = await db.query<RunRow>(
    sql`select ${RUN_ROW_COLUMNS} from ${db.tables.sync_runs} where run_id = ${runId} order by started_at, stream`,
  );
  return {
    run: rows.find((r) => r.stream === '*'),
    streams: rows.filter((r) => r.stream !== '*'),
    partitions: await partitionsWalkedBy(db, runId),
  };
}

/**
 * The summary `sync` prints (table and `--json`), inline and queued alike: what sync_runs recorded,
 * so the output and the table cannot disagree — a stream stopped mid-walk (rate limited, a failed
 * page) still reports the pages and records it committed.
 */
export function toSyncSummary(runId: string, report: RunReport): SyncSummary {
  const run = report.run;
  const durationMs =
    run?.finishedAt && run.startedAt
      ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()
      : 0;
  const streams: StreamSummary[] = report.streams.map((r) => ({
    stream: r.stream as StreamName,
    status: (r.status === 'running' ? 'failed' : r.status) as StreamSummary['status'],
    partitions: report.partitions[r.stream] ?? 0,
    pages: r.pages,
    counts: {
      read: r.read,
      inserted: r.inserted,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      deleted: r.deleted,
      dropped: r.dropped,
      held: r.held,
    },
    requests: r.requests,
    retries: r.retries,
    rateLimited: r.rateLimited,
    rateLimitWaitMs: Math.round(r.rateLimitWaitSeconds * 1000),
    requestsByStatus: r.requestsByStatus,
    error: r.errorClass ? { name: r.errorClass, message: r.errorMessage ?? '' } : undefined,
  }));
  const status = (run?.status === 'running' || !run ? 'failed' : run.status) as SyncSummary['status'];
  const error = run?.errorClass ? { name: run.errorClass, message: run.errorMessage ?? '' } : undefined;
  return { runId, status, fullRefresh: run?.fullRefresh ?? false, durationMs, streams, error };
}
