/**
 * `/healthz`: 200 when Postgres (and Redis, when the queue is there) answer, else 503. The route
 * is open even with a token, so the body says only what failed, never where or how it is
 * configured. A queue on Postgres is the warehouse's Postgres: its probe is the `postgres` one.
 */
import type { SyncQueue } from '../jobs/queue/index.ts';
import { probe, type SourceHealth } from '../jobs/source-probe.ts';
import type { TextQuery } from './text-query.ts';

export type { SourceHealth };

export interface HealthReport {
  ok: boolean;
  postgres: SourceHealth;
  redis: SourceHealth;
}

export async function checkHealth(
  pool: TextQuery,
  queue: Pick<SyncQueue, 'backend' | 'ping'> | undefined,
  timeoutMs: number,
): Promise<HealthReport> {
  const [postgres, redisHealth] = await Promise.all([
    probe(() => pool.query('select 1'), timeoutMs, 'postgres'),
    queue?.backend === 'redis'
      ? probe(() => queue.ping(), timeoutMs, 'redis')
      : Promise.resolve<SourceHealth>('not configured'),
  ]);
  const ok = postgres === 'ok' && (redisHealth === 'ok' || redisHealth === 'not configured');
  return { ok, postgres, redis: redisHealth };
}
