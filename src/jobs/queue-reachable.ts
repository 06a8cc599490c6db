/**
 * A quick probe of the configured queue backend before a command relies on it (see
 * redis-reachable.ts for why): Redis, or for the Postgres backend the warehouse at DATABASE_URL.
 * Nothing to probe without a backend.
 */
import pg from 'pg';
import type { Config } from '../config/config.ts';
import { ConfigError } from '../config/config-error.ts';
import { assertRedisReachable } from './redis-reachable.ts';

export async function assertQueueReachable(
  config: Pick<Config, 'queueBackend' | 'redisUrl' | 'databaseUrl'>,
  timeoutMs = 5_000,
): Promise<void> {
  if (config.queueBackend === 'redis' && config.redisUrl)
    await assertRedisReachable(config.redisUrl, timeoutMs);
  if (config.queueBackend === 'postgres' && config.databaseUrl)
    await assertPostgresReachable(config.databaseUrl, timeoutMs);
}

async function assertPostgresReachable(url: string, timeoutMs: number): Promise<void> {
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  probe.on('error', () => {}); // the failed connect below is the report
  try {
    await probe.connect();
    await probe.query('select 1');
  } catch (err) {
    const { hostname, port } = new URL(url);
    throw new ConfigError(
      `DATABASE_URL: cannot connect to Postgres at ${hostname}:${port || 5432} (PUFFLE_QUEUE_BACKEND=postgres keeps the queue there)`,
      { cause: err },
    );
  } finally {
    await probe.end().catch(() => {});
  }
}
