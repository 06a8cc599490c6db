/**
 * Retries a database step when the connection went away (Postgres restarted, failed over, or cut
 * our backend), so a nightly run rides out a short outage instead of failing its streams. Only
 * idempotent steps go through here (page commits, walk/run bookkeeping); any other database error
 * is thrown at once. The default schedule retries at once (a fresh pooled connection), then waits
 * 0.25 s, 0.5 s, 1 s … up to 8 s: about 30 s in all, enough for a restart or a quick failover.
 *
 * The first attempt runs even when `signal` is already aborted — a run being stopped still
 * commits the page it fetched — while the waits between retries end as soon as it aborts.
 */
import pRetry from 'p-retry';
import { errorSummary } from '../error-summary.ts';
import { isConnectionLost } from '../load/index.ts';
import type { Logger } from '../log.ts';

export interface DatabaseRetryOptions {
  signal?: AbortSignal;
  logger?: Logger;
  /** @default 9 */
  retries?: number;
  /** First wait; doubles each time up to 8 s. @default 250 */
  minTimeoutMs?: number;
}

export async function retryOnConnectionLoss<T>(
  what: string,
  /** Gets the 1-based attempt number, e.g. to check whether a previous attempt landed. */
  step: (attempt: number) => Promise<T>,
  opts: DatabaseRetryOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 9;
  const warn = (attempt: number, retriesLeft: number, err: unknown) =>
    opts.logger?.warn(
      // errorSummary: the driver's one line, never drizzle's "Failed query: … params: <values>".
      { step: what, attempt, retriesLeft, err: errorSummary(err).message },
      'database connection lost; retrying',
    );
  try {
    return await step(1);
  } catch (err) {
    if (retries === 0 || !isConnectionLost(err) || opts.signal?.aborted) throw err;
    warn(1, retries, err);
  }
  const minTimeout = opts.minTimeoutMs ?? 250;
  return pRetry((n) => step(n + 1), {
    retries: retries - 1,
    minTimeout,
    maxTimeout: Math.max(8000, minTimeout),
    factor: 2,
    signal: opts.signal,
    shouldRetry: (err) => isConnectionLost(err),
    onFailedAttempt: (err) => {
      if (isConnectionLost(err) && err.retriesLeft > 0) warn(err.attemptNumber + 1, err.retriesLeft, err);
    },
  });
}
