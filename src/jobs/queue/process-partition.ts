/**
 * A partition job: exactly the inline runner's step (`syncPartition`: walk from the checkpoint,
 * commit each page with its checkpoint), so a job resumed by another worker after a crash starts
 * at the last committed page. Each job gets its own light Puffle client on the shared budget, so
 * its request counters are its own even when several jobs of one stream run in this process.
 * The walk happens under the partition's advisory lock (partition-locks.ts): if another worker
 * still walks it, the job is delayed instead of walking alongside.
 */
import { DelayedError, type Job, WaitingError } from 'bullmq';
import { getStream, RequestRejectedError, statsSince } from '../../extract/index.ts';
import { getState } from '../../load/index.ts';
import { deleteGuardOf } from '../delete-guard.ts';
import { partitionLockKey } from '../partition-locks.ts';
import type { ProgressListener } from '../progress.ts';
import { syncPartition } from '../sync-partition.ts';
import { windowStateKey } from './backfill-windows.ts';
import type { JobContext } from './context.ts';
import { toJobError } from './error-mapping.ts';
import { RunAbortedError } from './errors/index.ts';
import { createJobClient } from './job-client.ts';
import type { PartitionJobData, PartitionOutcome } from './types.ts';

export const LOCKED_RETRY_MS = 2000;

export async function processPartition(
  ctx: JobContext,
  job: Job<PartitionJobData>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<PartitionOutcome> {
  const { runId, partition } = job.data;
  const def = getStream(job.data.stream);
  const stateKey = job.data.window ? windowStateKey(partition, job.data.window) : partition;
  const lockKey = partitionLockKey(ctx.db.schema, def.name, stateKey);
  if (!(await ctx.locks.tryLock(lockKey))) {
    // Someone still walks this partition (a worker whose job lock lapsed): try again shortly.
    ctx.logger.info({ stream: def.name, partition: stateKey }, 'partition busy elsewhere; job delayed');
    await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
    throw new DelayedError();
  }
  const client = createJobClient(ctx);
  try {
    const rejected = await ctx.runFlags.authRejectedReason(runId);
    if (rejected) throw new RunAbortedError(`run ${runId} stopped: ${rejected}`);
    if (await windowAlreadyDone(ctx, job.data)) return emptyOutcome();
    // Progress for queue dashboards (Bull Board): pages and records committed so far.
    const onProgress: ProgressListener = (e) => {
      if (e.type === 'page') job.updateProgress({ pages: e.pages, records: e.records }).catch(() => {});
    };
    const result = await syncPartition(
      { db: ctx.db, client, onProgress, logger: ctx.logger },
      {
        runId,
        stream: def,
        partition,
        fullRefresh: job.data.fullRefresh,
        lookbackMs: ctx.config.signalsLookbackMs,
        deleteGuard: deleteGuardOf(ctx.config, job.data.acceptMassDeletes),
        window: job.data.window,
        signal,
      },
    );
    if (!result.complete && signal?.aborted) return await handBack(job, token);
    // The client is this job's own: its totals are this job's requests.
    return { pages: result.pages, ...result.counts, ...statsSince(client.stats()[def.name]) };
  } catch (err) {
    if (signal?.aborted) return await handBack(job, token);
    if (def.parent && err instanceof RequestRejectedError && err.isNotFound) {
      // The parent row vanished between listing and walking: its children are gone too.
      ctx.logger.info({ stream: def.name, partition }, 'parent no longer exists; partition skipped');
      return { ...emptyOutcome(), skipped: true };
    }
    throw await toJobError(ctx, runId, err);
  } finally {
    await client.close();
    await ctx.locks.unlock(lockKey);
  }
}

/**
 * A backfill window completed by any run (an earlier, interrupted backfill, or an overlapping
 * one that finished it after this run listed its windows) is not walked again.
 */
async function windowAlreadyDone(ctx: JobContext, data: PartitionJobData): Promise<boolean> {
  if (!data.window || data.fullRefresh) return false;
  const state = await getState(ctx.db, data.stream, windowStateKey(data.partition, data.window));
  return state?.complete === true;
}

/**
 * Shutdown interrupted the walk after its last committed page: put the job back in the queue
 * (no attempt consumed) for the next worker, which resumes from that page.
 */
async function handBack(job: Job<PartitionJobData>, token: string | undefined): Promise<never> {
  await job.moveToWait(token);
  throw new WaitingError();
}

export function emptyOutcome(): PartitionOutcome {
  return {
    pages: 0,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    deleted: 0,
    dropped: 0,
    held: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rateLimitWaitMs: 0,
  };
}
