/**
 * A worker's own Prometheus metrics, served on its `/metrics` (worker --port): what this process
 * did since it started, where the dashboard's `/metrics` is the fleet's history from Postgres.
 * Labels are job kinds (run, stream, partition, webhook) and wait causes only.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { registerBuildInfo } from '../../build-info.ts';
import type { TakeResult } from '../../extract/index.ts';

export interface WorkerMetrics {
  registry: Registry;
  /** Call around a job's processing: counts it active until the returned function is called. */
  jobStarted(kind: string): () => void;
  jobCompleted(kind: string): void;
  jobFailed(kind: string): void;
  /** A request-budget take() that waited (pacing, or a 429 that blocked the key). */
  budgetWaited(took: TakeResult): void;
}

const P = 'puffle_sync_worker_';

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  registerBuildInfo(registry, 'worker');
  const registers = [registry];
  const completed = new Counter({
    name: `${P}jobs_completed_total`,
    help: 'Jobs this worker completed, by kind (run, stream, partition, webhook).',
    labelNames: ['kind'],
    registers,
  });
  const failed = new Counter({
    name: `${P}jobs_failed_total`,
    help: 'Job attempts that failed in this worker, by kind (a retried job counts once per failed attempt).',
    labelNames: ['kind'],
    registers,
  });
  const active = new Gauge({
    name: `${P}jobs_active`,
    help: 'Jobs this worker is processing now, by kind.',
    labelNames: ['kind'],
    registers,
  });
  const waits = new Counter({
    name: `${P}budget_waits_total`,
    help: 'Requests that waited for the shared request budget: cause="pacing" (even spacing) or "blocked" (a 429 paused the key).',
    labelNames: ['cause'],
    registers,
  });
  const waitSeconds = new Counter({
    name: `${P}budget_wait_seconds_total`,
    help: 'Seconds requests waited for the shared request budget, by cause (pacing, blocked).',
    labelNames: ['cause'],
    registers,
  });
  for (const cause of ['pacing', 'blocked']) {
    waits.inc({ cause }, 0);
    waitSeconds.inc({ cause }, 0);
  }
  return {
    registry,
    jobStarted(kind) {
      active.inc({ kind });
      let done = false;
      return () => {
        if (!done) active.dec({ kind });
        done = true;
      };
    },
    jobCompleted: (kind) => completed.inc({ kind }),
    jobFailed: (kind) => failed.inc({ kind }),
    budgetWaited(took) {
      const blocked = Math.min(took.blockedMs, took.waitedMs);
      waits.inc({ cause: blocked > 0 ? 'blocked' : 'pacing' });
      if (blocked > 0) waitSeconds.inc({ cause: 'blocked' }, blocked / 1000);
      if (took.waitedMs > blocked) waitSeconds.inc({ cause: 'pacing' }, (took.waitedMs - blocked) / 1000);
    },
  };
}
