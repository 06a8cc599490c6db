/**
 * The BullMQ queue puffle-sync uses, opened from a validated Config on its backend: Redis, or the
 * warehouse's Postgres (BullMQ 6's Postgres backend). Everything else in src/jobs/queue works on
 * the returned SyncQueue and never asks which backend it is: jobs, flows, the scheduler, rate
 * limiting and Bull Board are BullMQ's on both; the run flags come with the backend.
 */
import type { Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, QueueBackendName } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { NO_QUEUE_BACKEND, resolveQueueBackend } from '../../config/queue-backend.ts';
import { openPostgresQueue } from './postgres-queue.ts';
import { openRedisQueue } from './redis-queue.ts';
import type { RunFlags } from './run-abort.ts';

export type QueueConfig = Pick<Config, 'redisUrl' | 'queuePrefix'> &
  Partial<Pick<Config, 'databaseUrl' | 'queueBackend'>>;

/** What a worker is given by the backend it runs on. */
export type WorkerSettings = Omit<WorkerOptions, 'connection' | 'prefix'>;

export interface SyncQueue {
  backend: QueueBackendName;
  queue: Queue;
  /** The Redis backend's connection (shared by the Queue object and our own keys); else undefined. */
  redis?: Redis;
  /** `PUFFLE_QUEUE_PREFIX`: every BullMQ key (Redis) or the queue's schemas (Postgres). */
  prefix: string;
  /** The "run stopped" flags of this backend. */
  runFlags: RunFlags;
  /** A BullMQ worker of this queue, on connections of its own. */
  createWorker(processor: Processor, settings: WorkerSettings): Worker;
  /** Resolves when the backend answers (health checks). */
  ping(): Promise<void>;
  /** True once the backend has answered at least once (a dead one is dropped, not waited for). */
  connected(): boolean;
  /** Idempotent. */
  close(): Promise<void>;
}

export function openSyncQueue(config: QueueConfig): SyncQueue {
  const backend = resolveQueueBackend({ ...config, databaseUrl: config.databaseUrl });
  const sq =
    backend === 'postgres'
      ? openPostgresQueue(config.databaseUrl!, config.queuePrefix)
      : backend === 'redis'
        ? openRedisQueue(config.redisUrl!, config.queuePrefix)
        : undefined;
  if (!sq) throw new ConfigError(NO_QUEUE_BACKEND);
  // A lost connection is reported by the next command that needs it (the client reconnects);
  // with no listener, BullMQ prints the connection's error to stderr as a bare stack.
  sq.queue.on('error', () => {});
  return sq;
}
