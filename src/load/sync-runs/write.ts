/**
 * Opening and closing sync_runs rows. A page's counters are added inside its own commit
 * (page-counters.ts); these functions open and close the rows.
 * Error messages are redacted (no API key) and cut to one line of bounded length. finishRun also
 * runs the embedded database's housekeeping (maintenance.ts).
 */

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { errorSummary } from '../../error-summary.ts';
import type { RequestStats } from '../../extract/client-stats.ts';
import type { StreamName } from '../../extract/streams.ts';
import { redactSecrets } from '../../log.ts';
import type { Database, Executor } from '../database.ts';
import { maintain } from '../maintenance.ts';
import type { Tables } from '../schema.ts';
import { addStatusCounts } from '../status-counts.ts';
import { RUN_ROW, type RunStatus, type RunTrigger } from './run-row.ts';

/** What is stored of an error (errorSummary gives it). */
export interface RunError {
  /** The stable code callers branch on, e.g. `auth_rejected` (AuthRejectedError.code). */
  code: string;
  /** Error class name, e.g. `AuthRejectedError`: for people. */
  name: string;
  message: string;
}

export function runErrorOf(err: unknown): RunError {
  return errorSummary(err);
}

const cleanMessage = (message: string) => redactSecrets(message).replace(/\s+/g, ' ').trim().slice(0, 2000);

/** Opens the run's row; a row of that run id already there is kept as it is (a re-processed run job). */
export async function startRun(
  database: Database,
  opts: { trigger: RunTrigger; streams: readonly StreamName[]; runId?: string; fullRefresh?: boolean },
): Promise<string> {
  const runId = opts.runId ?? randomUUID();
  await database.db.execute(sql`
    insert into ${database.tables.sync_runs} (run_id, stream, trigger, status, streams, full_refresh, started_at)
    values (${runId}, ${RUN_ROW}, ${opts.trigger}, 'running', ${JSON.stringify(opts.streams)}::jsonb,
      ${opts.fullRefresh ?? false}, now())
    on conflict (run_id, stream) do nothing`);
  return runId;
}

export async function startStreamRun(
  database: Database,
  runId: string,
  stream: StreamName,
  opts: { cursorBefore?: string } = {},
): Promise<void> {
  await openStreamRow(database.db, database.tables, runId, stream, opts);
}

async function openStreamRow(
  exec: Executor,
  tables: Tables,
  runId: string,
  stream: StreamName,
  opts: { cursorBefore?: string },
): Promise<void> {
  const t = tables.sync_runs;
  await exec.execute(sql`
    insert into ${t} as r (run_id, stream, trigger, status, started_at, cursor_before)
    select ${runId}, ${stream}, coalesce((select trigger from ${t} where run_id = ${runId} and stream = ${RUN_ROW}), 'manual'),
      'running', now(), ${opts.cursorBefore ?? null}
    on conflict (run_id, stream) do update set status = 'running',
      cursor_before = coalesce(r.cursor_before, excluded.cursor_before)`);
}

/** The stream's request counters (this run's requests of it) are added to its row and the run's. */
export interface FinishOptions extends Partial<RequestStats> {
  status: Exclude<RunStatus, 'running'>;
  error?: RunError;
  cursorAfter?: string;
}

export async function finishStreamRun(
  database: Database,
  runId: string,
  stream: StreamName,
  opts: FinishOptions,
): Promise<void> {
  // One transaction: a retry after a lost connection finds either all of it or none of it.
  await database.db.transaction(async (tx) => {
    await durableCommit(tx);
    await openStreamRow(tx, database.tables, runId, stream, {});
    if (opts.requests || opts.retries || opts.rateLimited || opts.rateLimitWaitMs) {
      await addStats(tx, database.tables, runId, stream, opts);
      await addStats(tx, database.tables, runId, RUN_ROW, opts);
    }
    await closeRow(tx, database.tables, runId, stream, opts);
  });
}

/**
 * Whether the run row (or a stream's row in it) exists and is finished: a finish step processed
 * again (a retry whose first attempt landed, a re-processed queue job) must not add its stats twice.
 */
export async function runRowClosed(
  database: Database,
  runId: string,
  stream: string = RUN_ROW,
): Promise<boolean> {
  const [row] = await database.query<{ status: string }>(
    sql`select status from ${database.tables.sync_runs} where run_id = ${runId} and stream = ${stream}`,
  );
  return row !== undefined && row.status !== 'running';
}

/**
 * `finishRun(db, runId, 'failed', err)` or `finishRun(db, runId, { status, error })`.
 * `housekeeping: false` skips the embedded database's maintenance (small runs that churn nothing).
 */
export async function finishRun(
  database: Database,
  runId: string,
  status:
    | Exclude<RunStatus, 'running'>
    | (Pick<FinishOptions, 'status' | 'error'> & { housekeeping?: boolean }),
  error?: RunError,
): Promise<void> {
  const opts = typeof status === 'string' ? { status, error } : status;
  await database.db.transaction(async (tx) => {
    await durableCommit(tx);
    await closeRow(tx, database.tables, runId, RUN_ROW, opts);
  });
  if (!('housekeeping' in opts) || opts.housekeeping !== false) await maintain(database);
}

/**
 * The commit that reports a stream or a run finished waits for its WAL to reach disk, and WAL is
 * one ordered stream: every commit before it — asynchronous, from any session (database.ts) — is
 * durable once a stream or run reads `succeeded`.
 */
async function durableCommit(tx: Executor): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = on`);
}

async function addStats(
  exec: Executor,
  tables: Tables,
  runId: string,
  stream: string,
  s: Partial<RequestStats>,
): Promise<void> {
  await exec.execute(sql`
    update ${tables.sync_runs} set requests = requests + ${s.requests ?? 0},
      retries = retries + ${s.retries ?? 0}, rate_limited = rate_limited + ${s.rateLimited ?? 0},
      rate_limit_wait_seconds = rate_limit_wait_seconds + ${(s.rateLimitWaitMs ?? 0) / 1000},
      requests_by_status = ${addStatusCounts(sql`requests_by_status`, s.requestsByStatus)}
    where run_id = ${runId} and stream = ${stream}`);
}

async function closeRow(
  exec: Executor,
  tables: Tables,
  runId: string,
  stream: string,
  opts: FinishOptions,
): Promise<void> {
  await exec.execute(sql`
    update ${tables.sync_runs} set status = ${opts.status}, finished_at = now(),
      error_class = ${opts.error?.name ?? null}, error_code = ${opts.error?.code ?? null},
      error_message = ${opts.error ? cleanMessage(opts.error.message) : null},
      cursor_after = coalesce(${opts.cursorAfter ?? null}, cursor_after)
    where run_id = ${runId} and stream = ${stream}`);
}
