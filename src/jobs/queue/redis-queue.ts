/**
 * The queue on Redis. One ioredis connection is shared by the Queue object and our own keys (run
 * flags); BullMQ requires `maxRetriesPerRequest: null` on connections it blocks on.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { SyncQueue } from './queue.ts';
import { redisRunFlags } from './run-abort.ts';
import { QUEUE_NAME } from './types.ts';

export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function openRedisQueue(url: string, prefix: string): SyncQueue {
  const redis = redisConnection(url);
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  const workerConnections: Redis[] = [];
  let closing: Promise<void> | undefined;
  return {
    backend: 'redis',
    queue,
    redis,
    prefix,
    runFlags: redisRunFlags(redis, prefix),
    createWorker(processor, settings) {
      const connection = redisConnection(url);
      workerConnections.push(connection);
      return new Worker(QUEUE_NAME, processor, { ...settings, connection, prefix });
    },
    ping: async () => void (await redis.ping()),
    connected: () => redis.status === 'ready',
    close: () =>
      (closing ??= (async () => {
        if (redis.status !== 'ready') {
          // Closing would wait for a connection that never came up.
          redis.disconnect();
        } else {
          await queue.close().catch(() => {});
          await redis.quit().catch(() => redis.disconnect());
        }
        for (const c of workerConnections) await c.quit().catch(() => c.disconnect());
      })()),
  };
}
