/**
 * A run job, in two steps: fan-out (open the run's sync_runs row, start the streams whose parent
 * is not part of the run; the others start when their parent stream finishes) and finish (close
 * the run's row from its streams' rows once every stream job is done). Both steps are safe to
 * repeat, so a worker dying in either just makes another worker redo it.
 */
import { randomUUID } from 'node:crypto';
import { type Job, WaitingChildrenError } from 'bullmq';
import type { StreamName } from '../../extract/streams.ts';
import { finishRun, finishStreamRun, startRun } from '../../load/index.ts';
import { traceCarrier } from '../../tracing.ts';
import { streamsStartingAfter } from '../plan/run-plan.ts';
import { runOutcome } from '../plan/stream-policy.ts';
import { addStreamJobs, parentOf } from './child-jobs.ts';
import type { JobContext } from './context.ts';
import { readRunReport, toSyncSummary } from './run-report.ts';
import { queuedRunStop } from './run-stop.ts';
import type { RunJobData } from './types.ts';

export async function processRun(
  ctx: JobContext,
  job: Job<RunJobData>,
  token: string | undefined,
): Promise<{ runId: string; status: string }> {
  let runId = job.data.runId;
  if (!runId) {
    // Scheduler-made jobs arrive without one; it is stored before anything refers to it.
    runId = randomUUID();
    await job.updateData({ ...job.data, runId });
  }
  if (job.data.step !== 'finish') {
    await ensureRunRow(ctx, runId, job.data);
    const roots = streamsStartingAfter(job.data.streams, undefined);
    await addStreamJobs(
      ctx.queue,
      parentOf(job),
      {
        runId,
        streams: job.data.streams,
        fullRefresh: job.data.fullRefresh,
        acceptMassDeletes: job.data.acceptMassDeletes,
        backfill: job.data.backfill,
        trace: traceCarrier(),
      },
      roots,
    );
    await job.updateData({ ...job.data, runId, step: 'finish' });
    if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
  }
  return { runId, status: await finishRunRow(ctx, runId, job.data.streams) };
}

async function ensureRunRow(ctx: JobContext, runId: string, data: RunJobData): Promise<void> {
  // A run row already there (the fan-out step processed again) is kept as it is.
  await startRun(ctx.db, {
    trigger: data.trigger,
    streams: data.streams,
    runId,
    fullRefresh: Boolean(data.fullRefresh),
  });
}

async function finishRunRow(ctx: JobContext, runId: string, streams: readonly StreamName[]): Promise<string> {
  let report = await readRunReport(ctx.db, runId);
  if (report.run && report.run.status !== 'running') return report.run.status;
  // A stream whose parent stream job was lost never started: say so instead of leaving a gap.
  for (const stream of streams) {
    const row = report.streams.find((r) => r.stream === stream);
    if (!row || row.status === 'running') {
      await finishStreamRun(ctx.db, runId, stream, {
        status: 'failed',
        error: { name: 'Error', message: 'the stream did not run to its end in this run' },
      });
    }
  }
  report = await readRunReport(ctx.db, runId);
  const stopped = await queuedRunStop(ctx, runId).reason();
  const { status, error } = runOutcome(toSyncSummary(runId, report).streams, stopped);
  await finishRun(ctx.db, runId, { status, error });
  ctx.logger.info({ runId, status }, 'run finished');
  return status;
}
