/**
 * A stream job of a run, in two steps (BullMQ's "process step jobs" pattern), each a step of the
 * shared stream policy (plan/stream-policy.ts):
 * 1. fan-out — open the stream (its sync_runs row, its units: partitions or, in a backfill of an
 *    incremental stream, its date windows not yet completed) and add one child job per unit;
 *    then wait for the children;
 * 2. finish — sum the children's outcomes into sync_runs, close the stream's row and start the
 *    run's streams that wait for this one (plan/run-plan.ts).
 * A partition already in flight in another run is left to that run (one job per partition).
 */
import { type Job, WaitingChildrenError } from 'bullmq';
import { sumCounts } from '../../extract/index.ts';
import { getStream, type StreamDef } from '../../extract/streams.ts';
import { traceCarrier } from '../../tracing.ts';
import { streamsStartingAfter } from '../plan/run-plan.ts';
import { closeStream, type Outcome, openStream, type PlanIo, streamOutcome } from '../plan/stream-policy.ts';
import { tryOnce } from '../plan/unit-policy.ts';
import type { Unit } from '../plan/units.ts';
import { addStreamJobs, CHILD_OPTIONS, isOwnedByAnotherRun, parentOf } from './child-jobs.ts';
import type { JobContext } from './context.ts';
import { parseFailure } from './error-mapping.ts';
import { partitionJobId, windowJobId } from './job-ids.ts';
import { partitionPriority } from './priorities.ts';
import { queuedRunStop } from './run-stop.ts';
import type { PartitionJobData, PartitionOutcome, StreamJobData } from './types.ts';

const ADD_CHUNK = 200;

export async function processStream(
  ctx: JobContext,
  job: Job<StreamJobData>,
  token: string | undefined,
): Promise<string> {
  const def = getStream(job.data.stream);
  if (job.data.step !== 'finish') {
    const { runId, streams, fullRefresh, backfill } = job.data;
    const plan = {
      runId,
      streams,
      fullRefresh: Boolean(fullRefresh),
      backfill,
      settings: ctx.config,
    };
    const opened = await openStream(ioOf(ctx), plan, def, queuedRunStop(ctx, runId));
    if ('failed' in opened) return closeAndContinue(ctx, job, { status: 'failed', error: opened.failed });
    const skipped = await addPartitionJobs(ctx, job, def, opened.units);
    await job.updateData({ ...job.data, step: 'finish', partitions: opened.units.length, skipped });
    if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
  }
  return finish(ctx, job);
}

const ioOf = (ctx: JobContext): PlanIo => ({ db: ctx.db, logger: ctx.logger, withDb: tryOnce });

async function addPartitionJobs(
  ctx: JobContext,
  job: Job<StreamJobData>,
  def: StreamDef,
  units: readonly Unit[],
): Promise<number> {
  const backfill = Boolean(job.data.backfill);
  let skipped = 0;
  for (let i = 0; i < units.length; i += ADD_CHUNK) {
    const results = await Promise.allSettled(
      units.slice(i, i + ADD_CHUNK).map(({ partition, window, fullRefresh }) => {
        const data: PartitionJobData = {
          runId: job.data.runId,
          stream: def.name,
          partition,
          fullRefresh,
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
  const stopped = await queuedRunStop(ctx, job.data.runId).reason();
  const sum = (k: keyof PartitionOutcome) => outcomes.reduce((n, o) => n + Number(o[k] ?? 0), 0);
  return closeAndContinue(ctx, job, {
    ...streamOutcome(outcomes.length + failures.length, failures, stopped),
    requests: sum('requests'),
    retries: sum('retries'),
    rateLimited: sum('rateLimited'),
    rateLimitWaitMs: sum('rateLimitWaitMs'),
    requestsByStatus: sumCounts(outcomes.map((o) => o.requestsByStatus)),
  });
}

/** Closes the stream's row and starts the run's streams waiting for this one. */
async function closeAndContinue(
  ctx: JobContext,
  job: Job<StreamJobData>,
  outcome: Outcome & Parameters<typeof closeStream>[3],
): Promise<string> {
  const { runId, stream } = job.data;
  await closeStream(ioOf(ctx), runId, stream, outcome);
  const next = streamsStartingAfter(job.data.streams, stream);
  if (next.length > 0 && job.parent?.id) {
    await addStreamJobs(ctx.queue, { id: job.parent.id, queue: job.parent.queueKey }, job.data, next);
  }
  return outcome.status;
}
