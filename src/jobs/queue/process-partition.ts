/**
 * A partition job: one unit of the run's plan through the shared unit policy
 * (plan/unit-policy.ts: stop check, lock, skip rules, `syncPartition`, what a failure means),
 * mapped onto BullMQ: a busy unit is delayed, an interrupted one handed back, a failure classified
 * by error-mapping.ts. A job resumed by another worker after a crash starts at the last committed
 * page. Each job gets its own light Puffle client on the shared budget, so its request counters
 * are its own even when several jobs of one stream run in this process.
 */
import { DelayedError, type Job, WaitingError } from 'bullmq';
import { getStream, statsSince } from '../../extract/index.ts';
import { deleteGuardOf } from '../delete-guard.ts';
import { runUnit, tryOnce } from '../plan/unit-policy.ts';
import { unitStateKey } from '../plan/units.ts';
import { emptyCounts } from '../sync-partition.ts';
import type { JobContext } from './context.ts';
import { toJobError } from './error-mapping.ts';
import { createJobClient } from './job-client.ts';
import { queuedRunStop } from './run-stop.ts';
import type { PartitionJobData, PartitionOutcome } from './types.ts';

export const LOCKED_RETRY_MS = 2000;

export async function processPartition(
  ctx: JobContext,
  job: Job<PartitionJobData>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<PartitionOutcome> {
  const { runId, partition, window, fullRefresh } = job.data;
  const unit = { stream: getStream(job.data.stream), partition, window, fullRefresh: Boolean(fullRefresh) };
  const client = createJobClient(ctx);
  try {
    const out = await runUnit(
      {
        db: ctx.db,
        client,
        logger: ctx.logger,
        stop: queuedRunStop(ctx, runId),
        withDb: tryOnce,
        locks: ctx.locks,
        // Progress for queue dashboards (Bull Board): pages and records committed so far.
        onProgress: (e) => {
          if (e.type === 'page') job.updateProgress({ pages: e.pages, records: e.records }).catch(() => {});
        },
      },
      {
        runId,
        lookbackMs: ctx.config.signalsLookbackMs,
        deleteGuard: deleteGuardOf(ctx.config, job.data.acceptMassDeletes),
        signal,
      },
      unit,
    );
    if (out.kind === 'busy') {
      // Someone still walks this partition (a worker whose job lock lapsed): try again shortly.
      ctx.logger.info(
        { stream: unit.stream.name, partition: unitStateKey(unit) },
        'partition busy elsewhere; job delayed',
      );
      await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
      throw new DelayedError();
    }
    // Shutdown interrupted the walk after its last committed page: back to the queue (no attempt
    // consumed) for the next worker, which resumes from that page.
    if (out.kind === 'interrupted') {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (out.kind === 'skipped') return { ...emptyOutcome(), skipped: true };
    // The client is this job's own: its totals are this job's requests.
    return { pages: out.result.pages, ...out.result.counts, ...statsSince(client.stats()[unit.stream.name]) };
  } catch (err) {
    if (err instanceof DelayedError || err instanceof WaitingError) throw err;
    throw await toJobError(ctx, runId, err);
  } finally {
    await client.close();
  }
}

export function emptyOutcome(): PartitionOutcome {
  return { pages: 0, ...emptyCounts(), ...statsSince(undefined) };
}
