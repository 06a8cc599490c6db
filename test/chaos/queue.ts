/**
 * BullMQ mode for scenarios: a unique queue prefix per world, workers as `puffle-sync worker`
 * processes, the queue on the world's backend (Redis, or its Postgres with no REDIS_URL at all).
 */
import { loadConfig } from '../../src/config/config.ts';
import { STREAM_NAMES, type StreamName } from '../../src/extract/streams.ts';
import { enqueueRun, followRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { migrate } from '../../src/load/index.ts';
import { uniquePrefix } from '../helpers/services.ts';
import { backendEnv } from '../jobs/queue-helpers.ts';
import type { ChaosWorld } from './world.ts';

/** Short locks so a killed worker's jobs are taken over within seconds. */
export const WORKER_ARGS = [
  'worker',
  '--concurrency',
  '4',
  '--lock-duration',
  '2000',
  '--stalled-interval',
  '1000',
];

export class ChaosQueue {
  private constructor(
    private readonly w: ChaosWorld,
    readonly prefix: string,
    readonly sq: SyncQueue,
  ) {}

  static async open(w: ChaosWorld, label: string): Promise<ChaosQueue> {
    const prefix = uniquePrefix(`chaos-${label}`);
    const config = loadConfig(w.env({ ...backendEnv(w.queueBackend), PUFFLE_QUEUE_PREFIX: prefix }));
    await w.withDb((db) => migrate(db));
    const q = new ChaosQueue(w, prefix, openSyncQueue(config));
    // Closed only after the secret scan has read the queue's keys.
    w.onCleanup(() => q.close());
    return q;
  }

  env(extra: Record<string, string | undefined> = {}) {
    return { ...backendEnv(this.w.queueBackend), PUFFLE_QUEUE_PREFIX: this.prefix, ...extra };
  }

  startWorker(extra: Record<string, string | undefined> = {}) {
    return this.w.start(WORKER_ARGS, this.env(extra));
  }

  enqueue(streams: readonly StreamName[] = STREAM_NAMES): Promise<string> {
    return enqueueRun(this.sq.queue, { streams });
  }

  /** The run's summary once it left `running`, or undefined after `timeoutMs`. */
  async follow(runId: string, timeoutMs: number): Promise<SyncSummary | undefined> {
    const signal = AbortSignal.timeout(timeoutMs);
    return this.w.withDb((db) => followRun(db, runId, { pollMs: 100, signal }).catch(() => undefined));
  }

  /**
   * Never rejects: pollers call it from timers, and in the pg-terminate scenarios the probe's own
   * connection (application_name puffle-sync) is cut by the fault too — that means "not yet".
   */
  async isFinished(runId: string): Promise<boolean> {
    try {
      return (await this.follow(runId, 1)) !== undefined;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.sq.queue.obliterate({ force: true }).catch(() => {});
    await this.sq.close();
  }
}
