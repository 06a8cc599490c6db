/**
 * Putting a run on the queue: `sync --queue` and `backfill` call these; a worker does the rest.
 * The run id is chosen here so the caller can follow the run in sync_runs at once.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { StreamName } from '../../extract/streams.ts';
import type { RunTrigger } from '../../load/index.ts';
import { inSpan, traceCarrier } from '../../tracing.ts';
import type { TargetedStream } from '../targeted-sync.ts';
import { runJobId, webhookJobId } from './job-ids.ts';
import { COORDINATION_PRIORITY } from './priorities.ts';
import type { BackfillWindow, RunJobData, WebhookJobData } from './types.ts';

export interface EnqueueRunOptions {
  streams: readonly StreamName[];
  /** @default 'manual' */
  trigger?: RunTrigger;
  fullRefresh?: boolean;
  /** Apply deletions the mass-delete guard would hold (not a secret: it travels in job data). */
  acceptMassDeletes?: boolean;
  /** Backfill: incremental streams walk these windows; the others are re-walked in full. */
  windows?: readonly BackfillWindow[];
  /** Backfill: the days snapshot streams that take a date walk (`dailyWindows`). */
  days?: readonly BackfillWindow[];
}

/** Options of every run job (also the scheduler's template): keep the last 100 finished ones for inspection. */
export const RUN_JOB_OPTIONS = {
  priority: COORDINATION_PRIORITY,
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
} as const;

export async function enqueueRun(queue: Queue, opts: EnqueueRunOptions): Promise<string> {
  const runId = randomUUID();
  const data: RunJobData = {
    runId,
    trigger: opts.trigger ?? (opts.windows ? 'backfill' : 'manual'),
    streams: [...opts.streams],
    fullRefresh: opts.fullRefresh,
    acceptMassDeletes: opts.acceptMassDeletes || undefined,
    backfill: opts.windows
      ? { windows: [...opts.windows], ...(opts.days ? { days: [...opts.days] } : {}) }
      : undefined,
  };
  // With tracing on, the run's trace starts here: its jobs' spans hang under this one.
  await inSpan('puffle.run.enqueue', { 'puffle.run_id': runId, 'puffle.run.trigger': data.trigger }, () =>
    queue.add('run', { ...data, trace: traceCarrier() }, { ...RUN_JOB_OPTIONS, jobId: runJobId(runId) }),
  );
  return runId;
}

/**
 * A targeted sync for `stream`'s pending webhook events, run at the end of the current
 * `coalesceMs` window: a burst of events within one window makes one job, and the job starts
 * after every event of its window was recorded, so none is left without a sync. `sweep` (events
 * left pending: a crashed receiver, a retry that came due) adds one job now, at most one waiting.
 */
export async function enqueueWebhookSync(
  queue: Queue,
  stream: TargetedStream,
  opts: { coalesceMs: number; now?: number; sweep?: boolean },
): Promise<void> {
  const now = opts.now ?? Date.now();
  const runAt = (Math.floor(now / opts.coalesceMs) + 1) * opts.coalesceMs;
  const data: WebhookJobData = { stream };
  await queue.add('webhook', data, {
    jobId: webhookJobId(stream, opts.sweep ? 'sweep' : runAt),
    delay: opts.sweep ? 0 : Math.max(0, runAt - now),
    priority: COORDINATION_PRIORITY,
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: opts.sweep ? true : { count: 100 },
    removeOnFail: opts.sweep ? true : { count: 100 },
  });
}
