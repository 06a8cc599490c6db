/**
 * A quick probe before a command relies on Redis: ioredis (and BullMQ on top of it) otherwise
 * reconnects forever, so an unreachable REDIS_URL would hang the command instead of saying so.
 */
import { Redis } from 'ioredis';
import { ConfigError } from '../config/config-error.ts';

export async function assertRedisReachable(url: string, timeoutMs = 5_000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  probe.on('error', () => {}); // the failed connect below is the report
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
  } catch (err) {
    const { hostname, port } = new URL(url);
    throw new ConfigError(`REDIS_URL: cannot connect to Redis at ${hostname}:${port || 6379}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}
