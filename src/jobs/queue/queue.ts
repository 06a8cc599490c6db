/**
 * The BullMQ queue puffle-sync uses, opened from a validated Config. One ioredis connection is
 * shared by the Queue object and our own keys (run flags); BullMQ requires
 * `maxRetriesPerRequest: null` on connections it blocks on.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { QUEUE_NAME } from './types.ts';

export interface SyncQueue {
  queue: Queue;
  redis: Redis;
  /** `PUFFLE_QUEUE_PREFIX`: every BullMQ key and every puffle-sync queue key starts with it. */
  prefix: string;
  /** Idempotent. */
  close(): Promise<void>;
}

export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function openSyncQueue(config: Pick<Config, 'redisUrl' | 'queuePrefix'>): SyncQueue {
  if (!config.redisUrl)
    throw new ConfigError('REDIS_URL is not set: queued syncs need Redis (or run `puffle-sync sync` inline)');
  const redis = redisConnection(config.redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: config.queuePrefix });
  let closing: Promise<void> | undefined;
  return {
    queue,
    redis,
    prefix: config.queuePrefix,
    close: () =>
      (closing ??= (async () => {
        await queue.close().catch(() => {});
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}
