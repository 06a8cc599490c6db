/**
 * A stream job of a run, in two steps (BullMQ's "process step jobs" pattern):
 * 1. fan-out — open the stream's sync_runs row, list its partitions (or, in a backfill of an
 *    incremental stream, its date windows not yet completed) and add one child job per unit;
 *    then wait for the children;
 * 2. finish — sum the children's outcomes into sync_runs, close the stream's row and start the
 *    run's streams that need this one (its children in the catalog).
 * A partition already in flight in another run is left to that run (one job per partition).
 */
import { type Job, WaitingChildrenError } from 'bullmq';
import { type RequestStats, sumCounts } from '../../extract/index.ts';
import { getStream, type StreamDef } from '../../extract/streams.ts';
import {
  finishStreamRun,
  getState,
  listPartitions,
  type RunError,
  runErrorOf,
  runRowClosed,
  startStreamRun,
} from '../../load/index.ts';
import { traceCarrier } from '../../tracing.ts';
import { streamStatusOf } from '../outcome.ts';
import { reapplyPrivacyForFullRefresh } from '../privacy-refresh.ts';
import { windowStateKey } from './backfill-windows.ts';
import {
  addStreamJobs,
  CHILD_OPTIONS,
  isOwnedByAnotherRun,
  parentOf,
  streamsStartingAfter,
} from './child-jobs.ts';
import type { JobContext } from './context.ts';
import { parseFailure } from './error-mapping.ts';
import { partitionJobId, windowJobId } from './job-ids.ts';
import { partitionPriority } from './priorities.ts';
import type { BackfillWindow, PartitionJobData, PartitionOutcome, StreamJobData } from './types.ts';

const ADD_CHUNK = 200;

export async function processStream(
  ctx: JobContext,
  job: Job<StreamJobData>,
  token: string | undefined,
): Promise<string> {
  const def = getStream(job.data.stream);
  if (job.data.step !== 'finish') {
    const rejected = await ctx.runFlags.authRejectedReason(job.data.runId);
    if (rejected) return closeAndContinue(ctx, job, 'failed', parseFailure(rejected));
    let units: Array<{ partition: string; window?: BackfillWindow }>;
    try {
      await startStreamRun(ctx.db, job.data.runId, def.name);
      if (job.data.fullRefresh) await reapplyPrivacyForFullRefresh(ctx.db, def, job.data.runId, ctx.logger);
      units = await unitsOf(ctx, job.data, def);
    } catch (err) {
      return closeAndContinue(ctx, job, 'failed', runErrorOf(err));
    }
    const skipped = await addPartitionJobs(ctx, job, def, units);
    await job.updateData({ ...job.data, step: 'finish', partitions: units.length, skipped });
    if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
  }
  return finish(ctx, job);
}

async function unitsOf(ctx: JobContext, data: StreamJobData, def: StreamDef) {
  if (data.backfill && def.incremental) {
    const units: Array<{ partition: string; window: BackfillWindow }> = [];
    for (const window of data.backfill.windows) {
      const state = await getState(ctx.db, def.name, windowStateKey('', window));
      if (!state?.complete || data.fullRefresh) units.push({ partition: '', window });
    }
    return units;
  }
  const partitions = await listPartitions(ctx.db, def, {
    configuredIds: ctx.config.enrichmentRunIds,
    // A backfill of a stream without a time filter is a full re-walk.
    fullRefresh: Boolean(data.fullRefresh || data.backfill),
  });
  return partitions.map((partition) => ({ partition }));
}

async function addPartitionJobs(
  ctx: JobContext,
  job: Job<StreamJobData>,
  def: StreamDef,
  units: Array<{ partition: string; window?: BackfillWindow }>,
): Promise<number> {
  const backfill = Boolean(job.data.backfill);
  let skipped = 0;
  for (let i = 0; i < units.length; i += ADD_CHUNK) {
    const results = await Promise.allSettled(
      units.slice(i, i + ADD_CHUNK).map(({ partition, window }) => {
        const data: PartitionJobData = {
          runId: job.data.runId,
          stream: def.name,
          partition,
          fullRefresh: Boolean(job.data.fullRefresh || (backfill && !window)),
          acceptMassDeletes: job.data.acceptMassDeletes,
          window,
          trace: traceCarrier(),
        };
        return ctx.queue.add('partition', data, {
          ...CHILD_OPTIONS,
          jobId: window ? windowJobId(def.name, partition, window) : partitionJobId(def.name, partition),
          parent: parentOf(job),
          priority: partitionPriority(def, backfill),
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
        });
      }),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      if (!isOwnedByAnotherRun(r.reason)) throw r.reason;
      skipped += 1;
    }
  }
  if (skipped > 0) {
    ctx.logger.info(
      { stream: def.name, runId: job.data.runId, skipped },
      'partitions already in flight in another run',
    );
  }
  return skipped;
}

async function finish(ctx: JobContext, job: Job<StreamJobData>): Promise<string> {
  const outcomes = Object.values(await job.getChildrenValues<PartitionOutcome>());
  const failures = Object.values(await job.getIgnoredChildrenFailures()).map(parseFailure);
  const rejected = await ctx.runFlags.authRejectedReason(job.data.runId);
  if (rejected) failures.unshift(parseFailure(rejected));
  const status = streamStatusOf(outcomes.length + failures.length, failures);
  const sum = (k: keyof PartitionOutcome) => outcomes.reduce((n, o) => n + Number(o[k] ?? 0), 0);
  return closeAndContinue(ctx, job, status, failures[0], {
    requests: sum('requests'),
    retries: sum('retries'),
    rateLimited: sum('rateLimited'),
    rateLimitWaitMs: sum('rateLimitWaitMs'),
    requestsByStatus: sumCounts(outcomes.map((o) => o.requestsByStatus)),
  });
}

async function closeAndContinue(
  ctx: JobContext,
  job: Job<StreamJobData>,
  status: 'succeeded' | 'failed' | 'partial',
  error: RunError | undefined,
  stats: Partial<RequestStats> = {},
): Promise<string> {
  const { runId, stream } = job.data;
  // A re-processed finish step (worker died after closing the row) must not add the stats twice.
  if (!(await runRowClosed(ctx.db, runId, stream)))
    await finishStreamRun(ctx.db, runId, stream, { status, error, ...stats });
  const next = streamsStartingAfter(job.data.streams, stream);
  if (next.length > 0 && job.parent?.id) {
    await addStreamJobs(ctx.queue, { id: job.parent.id, queue: job.parent.queueKey }, job.data, next);
  }
  if (status !== 'succeeded') ctx.logger.warn({ stream, runId, status, error }, 'stream did not succeed');
  return status;
}
