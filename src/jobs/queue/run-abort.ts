/**
 * The "this run is over" flag in Redis: set by the first job that sees Puffle reject the API key
 * (401), read by every other job of the run before it calls Puffle. Expires after a week.
 */
import type { Redis } from 'ioredis';

const TTL_SECONDS = 7 * 24 * 3600;

const keyOf = (prefix: string, runId: string) => `${prefix}:sync-runs:${runId}:auth-rejected`;

export async function markAuthRejected(
  redis: Redis,
  prefix: string,
  runId: string,
  message: string,
): Promise<void> {
  await redis.set(keyOf(prefix, runId), message, 'EX', TTL_SECONDS, 'NX');
}

/** The 401 message that stopped the run, or undefined while the run may go on. */
export async function authRejectedReason(
  redis: Redis,
  prefix: string,
  runId: string,
): Promise<string | undefined> {
  return (await redis.get(keyOf(prefix, runId))) ?? undefined;
}
