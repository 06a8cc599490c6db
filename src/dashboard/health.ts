/**
 * `/healthz`: 200 when Postgres (and Redis, when configured) answer, else 503. The route is open
 * even with a token, so the body says only what failed, never where or how it is configured.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { probe, type SourceHealth } from '../jobs/source-probe.ts';

export type { SourceHealth };

export interface HealthReport {
  ok: boolean;
  postgres: SourceHealth;
  redis: SourceHealth;
}

export async function checkHealth(
  pool: pg.Pool,
  redis: Redis | undefined,
  timeoutMs: number,
): Promise<HealthReport> {
  const [postgres, redisHealth] = await Promise.all([
    probe(() => pool.query('select 1'), timeoutMs, 'postgres'),
    redis ? probe(() => redis.ping(), timeoutMs, 'redis') : Promise.resolve<SourceHealth>('not configured'),
  ]);
  const ok = postgres === 'ok' && (redisHealth === 'ok' || redisHealth === 'not configured');
  return { ok, postgres, redis: redisHealth };
}
