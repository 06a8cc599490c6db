/**
 * The proactive request budget: every request to Puffle takes a slot first, so the fleet stays
 * under `PUFFLE_RATE_LIMIT_PER_MIN` for the key and 429s are rare rather than the control loop.
 *
 * Pacing is GCRA with no burst allowance: slots are exactly `60 000 / perMinute` ms apart, so no
 * 10-second span ever holds more than a sixth of the minute's budget, even right after idling
 * (docs/puffle-api.md: Puffle's window is unknown). A 429 anywhere calls `blockUntil`, and every
 * `take()` of that key — in every process, when the budget lives in Redis or Postgres — waits.
 */
import { RateLimitedError } from '../errors/rate-limited-error.ts';

export interface TakeResult {
  /** Total time this take() waited, pacing included. */
  waitedMs: number;
  /** The part of `waitedMs` spent because a 429 had blocked the key. */
  blockedMs: number;
}

export interface TakeOptions {
  /** Longest acceptable wait (e.g. the client's maxRateLimitWaitMs). @default unlimited */
  maxWaitMs?: number;
}

export interface RequestBudget {
  /**
   * Resolves when this request may go; rejects with the signal's reason if aborted first, and
   * with RateLimitedError (nothing slept) when the wait would exceed `opts.maxWaitMs`.
   */
  take(signal?: AbortSignal, opts?: TakeOptions): Promise<TakeResult>;
  /** No request of this key goes before `epochMs` (never moves an existing block earlier). */
  blockUntil(epochMs: number): Promise<void>;
  /** Epoch ms of the current block as last seen by this process (0 = none). */
  blockedUntil(): number;
  /** Releases the Redis or Postgres connection this budget opened (idempotent). */
  close(): Promise<void>;
}

export interface RequestBudgetOptions {
  /** Requests per minute for this key. */
  perMinute: number;
  /** ioredis instance (not closed by the budget) or a redis:// URL (owned and closed). */
  redis?: import('ioredis').Redis | string;
  /** pg.Pool (not closed by the budget) or a postgres:// URL (owned and closed). */
  postgres?: import('pg').Pool | string;
  /** `apiKeyId(apiKey)`: the key itself never reaches Redis or Postgres. */
  keyId: string;
  /** Key prefix (Redis key, or the key column in Postgres). @default 'puffle-sync' */
  prefix?: string;
  /** Postgres only: the schema of the budget's table. @default 'puffle_sync_coordination' */
  schema?: string;
  /**
   * Slots are spaced `(60 000 / perMinute) × (1 + safetyMargin)` ms apart. Exact spacing would
   * put request N+1 exactly one window after request 1, so a few ms of network jitter would
   * push N+1 requests into a server's sliding window; 2 % absorbs 1.2 s per minute.
   * @default 0.02
   */
  safetyMargin?: number;
}

export function intervalMs(perMinute: number, safetyMargin = 0.02): number {
  if (!Number.isFinite(perMinute) || perMinute <= 0) {
    throw new RangeError('perMinute must be a finite number greater than 0');
  }
  if (!Number.isFinite(safetyMargin) || safetyMargin < 0) {
    throw new RangeError('safetyMargin must be a finite number of 0 or more');
  }
  return (60_000 / perMinute) * (1 + safetyMargin);
}

/** The error a take() throws instead of sleeping past the caller's ceiling. */
export function waitTooLong(waitMs: number, maxWaitMs: number): RateLimitedError {
  return new RateLimitedError(
    `request budget of this API key is blocked for ${Math.ceil(waitMs / 1000)} s (a 429 from Puffle), more than the ${Math.round(maxWaitMs / 1000)} s ceiling (PUFFLE_MAX_RATE_LIMIT_WAIT_MS)`,
    { retryAt: Date.now() + waitMs },
  );
}
