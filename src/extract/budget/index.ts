import { createMemoryBudget } from './memory-budget.ts';
import { createPostgresBudget } from './postgres-budget.ts';
import { createRedisBudget } from './redis-budget.ts';
import type { RequestBudget, RequestBudgetOptions } from './request-budget.ts';

export { apiKeyId } from './api-key-id.ts';
export { ensureCoordinationTables, quoteIdent } from './coordination-schema.ts';
export { observeBudget } from './observed-budget.ts';
export { DEFAULT_COORDINATION_SCHEMA } from './postgres-budget.ts';
export type { RequestBudget, RequestBudgetOptions, TakeOptions, TakeResult } from './request-budget.ts';

/**
 * Shared by every process using the key when `redis` or `postgres` is given (one of them), else
 * in-process.
 */
export function createRequestBudget(opts: RequestBudgetOptions): RequestBudget {
  if (opts.redis !== undefined && opts.postgres !== undefined)
    throw new RangeError('a request budget lives in Redis or in Postgres, not both');
  if (opts.redis !== undefined) return createRedisBudget({ ...opts, redis: opts.redis });
  if (opts.postgres !== undefined) return createPostgresBudget({ ...opts, postgres: opts.postgres });
  return createMemoryBudget(opts.perMinute, opts.safetyMargin);
}
