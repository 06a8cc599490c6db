/**
 * A puffle-sync worker process: takes run, stream, partition and webhook jobs from the queue until
 * closed. Scaling out = starting more of these against the same queue backend and Postgres.
 *
 * `close()` is the graceful shutdown: stop taking jobs, abort the jobs in flight (each stops
 * after the page it is committing and goes back to the queue, resumable from that page), then
 * close the queue and Postgres. If that takes longer than `timeoutMs`, the jobs are
 * abandoned to BullMQ's stalled-job recovery (another worker resumes them from their
 * checkpoints) — a page is one transaction, so nothing is ever half-written either way.
 */
import type { Job } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { NO_QUEUE_BACKEND } from '../../config/queue-backend.ts';
import { observeBudget } from '../../extract/index.ts';
import type { Logger } from '../../log.ts';
import { openPartitionLocks } from '../partition-locks.ts';
import { openRuntime } from '../runtime.ts';
import type { JobContext } from './context.ts';
import { processPartition } from './process-partition.ts';
import { processRun } from './process-run.ts';
import { processStream } from './process-stream.ts';
import { processWebhook } from './process-webhook.ts';
import { openSyncQueue } from './queue.ts';
import { checkReadiness, type ReadinessReport } from './readiness.ts';
import { processTraced } from './traced-job.ts';
import { createWorkerMetrics } from './worker-metrics.ts';

export interface SyncWorkerOptions {
  config: Config;
  logger: Logger;
  /** Jobs processed at once by this process. @default 4 */
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a dead worker's jobs are retaken after it. @default 30000 */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers. @default 30000 */
  stalledIntervalMs?: number;
  /** A 429 wait up to this long is slept inside the job; longer ones free the slot. @default 60000 */
  slotWaitMs?: number;
}

export interface SyncWorker {
  /** BullMQ worker id. */
  readonly id: string;
  /** Jobs this process completed, by job name. */
  processed(): Record<string, number>;
  /** True until close() starts. */
  isRunning(): boolean;
  /** Whether Postgres and the queue backend answer now, each within `timeoutMs` (default 2000). */
  ready(timeoutMs?: number): Promise<ReadinessReport>;
  /** This process's Prometheus text (worker-metrics.ts). */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Graceful shutdown; resolves true when every job stopped within `timeoutMs`. Idempotent. */
  close(opts?: { timeoutMs?: number }): Promise<boolean>;
}

const DEFAULTS = { concurrency: 4, lockDurationMs: 30_000, stalledIntervalMs: 30_000, slotWaitMs: 60_000 };

export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const { config, logger } = options;
  const opts = { ...DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
    throw new ConfigError('--concurrency must be a whole number greater than 0');
  }
  if (!config.apiKey)
    throw new ConfigError('PUFFLE_API_KEY is not set: every worker reads the key from its own environment');
  if (!config.queueBackend)
    throw new ConfigError(`${NO_QUEUE_BACKEND}: workers take their jobs from the queue`);
  const runtime = await openRuntime(config, logger, { apiKey: config.apiKey });
  const sq = openSyncQueue(config);
  const locks = openPartitionLocks(config.databaseUrl, logger);
  const metrics = createWorkerMetrics();
  const ctx: JobContext = {
    config,
    apiKey: config.apiKey,
    logger,
    db: runtime.db,
    budget: observeBudget(runtime.budget, metrics.budgetWaited),
    queue: sq.queue,
    runFlags: sq.runFlags,
    slotWaitMs: opts.slotWaitMs,
    locks,
  };
  const counts: Record<string, number> = {};
  const worker = sq.createWorker(
    // Three parameters: BullMQ passes an AbortSignal only to processors that declare it.
    async (job: Job, token?: string, signal?: AbortSignal) => {
      const done = metrics.jobStarted(job.name);
      try {
        return await processTraced<unknown>(job, () => dispatch(ctx, job, token, signal));
      } finally {
        done();
      }
    },
    {
      concurrency: opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      maxStalledCount: 5,
      autorun: true,
    },
  );
  worker.on('completed', (job) => {
    counts[job.name] = (counts[job.name] ?? 0) + 1;
    metrics.jobCompleted(job.name);
    logger.info({ worker: worker.id, job: job.id, name: job.name }, 'job completed');
  });
  worker.on('failed', (job, err) => {
    if (job) metrics.jobFailed(job.name);
    logger.warn(
      { worker: worker.id, job: job?.id, name: job?.name, attempts: job?.attemptsMade, err },
      'job failed',
    );
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  // A job whose lock could not be renewed may already be retaken by another worker: stop it at
  // the next page boundary so two workers never keep walking one partition side by side.
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const id of jobIds) worker.cancelJob(id, 'job lock lost');
    logger.warn({ worker: worker.id, jobs: jobIds }, 'job lock lost; stopping those jobs');
  });
  await worker.waitUntilReady();
  logger.info(
    { worker: worker.id, concurrency: opts.concurrency, prefix: config.queuePrefix, backend: sq.backend },
    'worker started',
  );

  let closing: Promise<boolean> | undefined;
  const close = async (timeoutMs: number): Promise<boolean> => {
    worker.cancelAllJobs('shutting down');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const graceful = await Promise.race([worker.close().then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (!graceful) await worker.close(true).catch(() => {});
    await sq.close();
    await locks.close();
    await runtime.close();
    logger.info({ worker: worker.id, graceful }, 'worker stopped');
    return graceful;
  };
  return {
    id: worker.id,
    processed: () => ({ ...counts }),
    isRunning: () => closing === undefined,
    ready: (timeoutMs = 2000) =>
      // A queue on Postgres is the warehouse's own Postgres: its probe is the `postgres` one.
      checkReadiness(
        {
          postgres: () => runtime.db.query(sql`select 1`),
          ...(sq.backend === 'redis' ? { redis: () => sq.ping() } : {}),
        },
        timeoutMs,
      ),
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
    close: (o = {}) => (closing ??= close(o.timeoutMs ?? 30_000)),
  };
}

function dispatch(ctx: JobContext, job: Job, token: string | undefined, signal: AbortSignal | undefined) {
  switch (job.name) {
    case 'run':
      return processRun(ctx, job, token);
    case 'stream':
      return processStream(ctx, job, token);
    case 'partition':
      return processPartition(ctx, job, token, signal);
    case 'webhook':
      return processWebhook(ctx, job, token, signal);
    default:
      throw new Error(`unknown job name "${job.name}"`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
