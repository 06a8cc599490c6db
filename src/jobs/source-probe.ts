/**
 * One bounded probe of a backend (Postgres `select 1`, Redis `PING`) for health and readiness
 * routes. The result names what failed by code only: those routes are open without a token, so
 * they never say where a backend is or how it is configured.
 */
import { withTimeout } from '../with-timeout.ts';

export type SourceHealth = 'ok' | 'not configured' | { error: string };

export async function probe(
  run: () => Promise<unknown>,
  timeoutMs: number,
  what: string,
): Promise<SourceHealth> {
  try {
    await withTimeout(run(), timeoutMs, what);
    return 'ok';
  } catch (err) {
    return { error: errorCode(err) };
  }
}

/** A code (ECONNREFUSED, 28P01, 3D000, timeout) rather than a message that may name hosts or users. */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown };
  if (typeof e?.code === 'string' && e.code) return e.code;
  return 'unreachable';
}
