/**
 * Runs left `running` by a process that died (SIGKILL, power loss). The inline runner continues
 * the newest one — partitions it already completed are not walked again, unfinished ones resume
 * from their checkpoints, a full refresh stays one — and closes older ones as failed, so `status`
 * never shows ghosts.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { RUN_ROW, type RunTrigger } from './run-row.ts';

export interface InterruptedRun {
  runId: string;
  trigger: RunTrigger;
  streams: string[];
  fullRefresh: boolean;
}

type RunRow = { run_id: string; trigger: RunTrigger; streams: unknown; full_refresh: boolean };

export async function findInterruptedRun(
  database: Database,
  triggers: readonly RunTrigger[],
): Promise<InterruptedRun | undefined> {
  const [row] = await database.query<RunRow>(sql`
    select run_id, trigger, streams, full_refresh from ${database.tables.sync_runs}
    where stream = ${RUN_ROW} and status = 'running' and trigger = any(${sql.param([...triggers])}::text[])
    order by started_at desc limit 1`);
  return row ? toInterruptedRun(row) : undefined;
}

/**
 * The newest run of all, when it is a full refresh of `triggers` that was asked to stop (SIGINT /
 * SIGTERM closed it with `stoppedError` on a stream) rather than failing on its own. Only the
 * newest: any later run may have walked the same partitions since. Webhook-triggered runs do not
 * count: their walks have checkpoints of their own.
 */
export async function findStoppedFullRefresh(
  database: Database,
  triggers: readonly RunTrigger[],
  stoppedError: string,
): Promise<InterruptedRun | undefined> {
  const t = database.tables.sync_runs;
  const [row] = await database.query<RunRow & { stopped: boolean; status: string }>(sql`
    select r.run_id, r.trigger, r.streams, r.full_refresh, r.status,
      exists (select 1 from ${t} s where s.run_id = r.run_id and s.error_class = ${stoppedError}) as stopped
    from ${t} r where r.stream = ${RUN_ROW} and r.trigger <> 'webhook' order by r.started_at desc limit 1`);
  const stoppable = row && row.full_refresh === true && row.stopped && row.status !== 'succeeded';
  return stoppable && triggers.includes(row.trigger) ? toInterruptedRun(row) : undefined;
}

/** Puts a closed run back to `running` so a continuation adds to its rows. */
export async function reopenRun(database: Database, runId: string): Promise<void> {
  await database.query(sql`
    update ${database.tables.sync_runs} set status = 'running', finished_at = null, error_class = null,
      error_message = null
    where run_id = ${runId} and stream = ${RUN_ROW}`);
}

function toInterruptedRun(row: RunRow): InterruptedRun {
  const streams = typeof row.streams === 'string' ? JSON.parse(row.streams) : row.streams;
  return {
    runId: row.run_id,
    trigger: row.trigger,
    streams: Array.isArray(streams) ? streams.map(String) : [],
    fullRefresh: row.full_refresh === true,
  };
}

/**
 * Closes every still-`running` row of the given runs (run row and stream rows) as failed;
 * `streams` narrows it to runs of exactly those streams.
 */
export async function abandonInterruptedRuns(
  database: Database,
  triggers: readonly RunTrigger[],
  exceptRunId?: string,
  streams?: readonly string[],
): Promise<number> {
  const t = database.tables.sync_runs;
  const ofStreams = streams ? sql` and streams = ${JSON.stringify(streams)}::jsonb` : sql``;
  const result = await database.query<{ run_id: string }>(sql`
    update ${t} set status = 'failed', finished_at = now(), error_class = 'InterruptedError',
      error_message = 'the process running this sync stopped before it finished; a later run resumed its checkpoints'
    where status = 'running' and run_id <> ${exceptRunId ?? ''}
      and run_id in (select run_id from ${t} where stream = ${RUN_ROW} and status = 'running'
                     and trigger = any(${sql.param([...triggers])}::text[])${ofStreams})
    returning run_id`);
  return new Set(result.map((r) => r.run_id)).size;
}
