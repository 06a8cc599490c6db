/**
 * Runs left `running` by a process that died (SIGKILL, power loss). The inline runner continues
 * the newest one — partitions it already completed are not walked again, unfinished ones resume
 * from their checkpoints, a full refresh stays one — and closes older ones as failed, so `status`
 * never shows ghosts.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { RUN_ROW, type RunTrigger } from './runs.ts';

export interface InterruptedRun {
  runId: string;
  trigger: RunTrigger;
  streams: string[];
  fullRefresh: boolean;
}

export async function findInterruptedRun(
  database: Database,
  triggers: readonly RunTrigger[],
): Promise<InterruptedRun | undefined> {
  const [row] = await database.query<{
    run_id: string;
    trigger: RunTrigger;
    streams: unknown;
    full_refresh: boolean;
  }>(sql`
    select run_id, trigger, streams, full_refresh from ${database.tables.sync_runs}
    where stream = ${RUN_ROW} and status = 'running' and trigger = any(${sql.param([...triggers])}::text[])
    order by started_at desc limit 1`);
  if (!row) return undefined;
  const streams = typeof row.streams === 'string' ? JSON.parse(row.streams) : row.streams;
  return {
    runId: row.run_id,
    trigger: row.trigger,
    streams: Array.isArray(streams) ? streams.map(String) : [],
    fullRefresh: row.full_refresh === true,
  };
}

/** Closes every still-`running` row of the given runs (run row and stream rows) as failed. */
export async function abandonInterruptedRuns(
  database: Database,
  triggers: readonly RunTrigger[],
  exceptRunId?: string,
): Promise<number> {
  const t = database.tables.sync_runs;
  const result = await database.query<{ run_id: string }>(sql`
    update ${t} set status = 'failed', finished_at = now(), error_class = 'InterruptedError',
      error_message = 'the process running this sync stopped before it finished; a later run resumed its checkpoints'
    where status = 'running' and run_id <> ${exceptRunId ?? ''}
      and run_id in (select run_id from ${t} where stream = ${RUN_ROW} and status = 'running'
                     and trigger = any(${sql.param([...triggers])}::text[]))
    returning run_id`);
  return new Set(result.map((r) => r.run_id)).size;
}
