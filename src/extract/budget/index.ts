import { createMemoryBudget } from './memory-budget.ts';
import { createRedisBudget } from './redis-budget.ts';
import type { RequestBudget, RequestBudgetOptions } from './request-budget.ts';

export { apiKeyId } from './api-key-id.ts';
export { observeBudget } from './observed-budget.ts';
export type { RequestBudget, RequestBudgetOptions, TakeOptions, TakeResult } from './request-budget.ts';

/** In Redis (shared by every process using the key) when `redis` is given, else in-process. */
export function createRequestBudget(opts: RequestBudgetOptions): RequestBudget {
  if (opts.redis !== undefined) return createRedisBudget({ ...opts, redis: opts.redis });
  return createMemoryBudget(opts.perMinute, opts.safetyMargin);
}
