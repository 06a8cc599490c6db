/**
 * Retries a database step when the connection went away (Postgres restarted, failed over, or cut
 * our backend), so a nightly run rides out a short outage instead of failing its streams. Only
 * idempotent steps go through here (page commits, walk/run bookkeeping); any other database error
 * is thrown at once. The default schedule waits 0.25 s, 0.5 s, 1 s … up to 8 s, about 30 s in all.
 */
import pRetry from 'p-retry';
import { isConnectionLost } from '../load/index.ts';
import type { Logger } from '../log.ts';

export interface DatabaseRetryOptions {
  signal?: AbortSignal;
  logger?: Logger;
  /** @default 7 */
  retries?: number;
  /** First wait; doubles each time up to 8 s. @default 250 */
  minTimeoutMs?: number;
}

export function retryOnConnectionLoss<T>(
  what: string,
  step: () => Promise<T>,
  opts: DatabaseRetryOptions = {},
): Promise<T> {
  const minTimeout = opts.minTimeoutMs ?? 250;
  return pRetry(step, {
    retries: opts.retries ?? 7,
    minTimeout,
    maxTimeout: Math.max(8000, minTimeout),
    factor: 2,
    signal: opts.signal,
    shouldRetry: (err) => isConnectionLost(err),
    onFailedAttempt: (err) => {
      if (!isConnectionLost(err) || err.retriesLeft === 0) return;
      opts.logger?.warn(
        { step: what, attempt: err.attemptNumber, retriesLeft: err.retriesLeft, err: err.message },
        'database connection lost; retrying',
      );
    },
  });
}
