/**
 * Pure retry timing: how long to wait after a failure. No I/O, `now` and `random` are injected.
 *
 * Precedence: `Retry-After` is authoritative when the server sends it (RFC 9110: delay-seconds or
 * an HTTP-date). An HTTP-date is measured against the response's own `Date` header when present,
 * so our clock skew does not stretch or shrink the wait. A past date or `0` means "now". Anything
 * unparseable returns `undefined`, which means "use the exponential backoff".
 */

export interface RetryPolicy {
  /** First backoff ceiling. @default 1000 */
  baseMs: number;
  /** Growth per attempt. @default 2 */
  factor: number;
  /** No single backoff exceeds this. @default 60000 */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { baseMs: 1000, factor: 2, maxMs: 60_000 };

/** Anything with a case-insensitive `get` (the fetch `Headers`). */
export interface HeaderLookup {
  get(name: string): string | null;
}

const DELTA_SECONDS = /^-?\d+(\.\d+)?$/;
// IMF-fixdate and the two obsolete forms all contain a letter (a weekday or month name).
const LOOKS_LIKE_DATE = /[A-Za-z]{3}/;

/** Milliseconds to wait per `Retry-After`, or undefined when absent/unparseable. */
export function retryDelayFromHeaders(headers: HeaderLookup, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (DELTA_SECONDS.test(value)) return Math.max(0, Math.round(Number(value) * 1000));
  if (!LOOKS_LIKE_DATE.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const serverNow = Date.parse(headers.get('date') ?? '');
  const reference = Number.isNaN(serverNow) ? now : serverNow;
  return Math.max(0, at - reference);
}

/**
 * Exponential backoff with full jitter: `random() × min(maxMs, baseMs × factor^(attempt−1))`.
 * `attempt` is 1 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
