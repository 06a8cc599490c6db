/**
 * `/healthz`: 200 when Postgres (and Redis, when configured) answer, else 503. The route is open
 * even with a token, so the body says only what failed, never where or how it is configured.
 */
import type { Redis } from 'ioredis';
import type { TextQuery } from './text-query.ts';
import { withTimeout } from './with-timeout.ts';

export type SourceHealth = 'ok' | 'not configured' | { error: string };

export interface HealthReport {
  ok: boolean;
  postgres: SourceHealth;
  redis: SourceHealth;
}

export async function checkHealth(
  pool: TextQuery,
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

async function probe(run: () => Promise<unknown>, timeoutMs: number, what: string): Promise<SourceHealth> {
  try {
    await withTimeout(run(), timeoutMs, what);
    return 'ok';
  } catch (err) {
    return { error: errorCode(err) };
  }
}

/** A code (ECONNREFUSED, 28P01, timeout) rather than a message that may name hosts or users. */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code) return e.code;
  if (typeof e?.message === 'string' && e.message.includes('did not answer')) return 'timeout';
  return 'unreachable';
}
