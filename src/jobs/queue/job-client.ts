/**
 * A job's own light Puffle client on the worker's shared budget, so its request counters are
 * its own even when several jobs of one stream run in this process. A 429 wait longer than the
 * slot wait frees the worker slot instead of sleeping in it (see error-mapping.ts).
 */
import { createPuffleClient, type PuffleClient } from '../../extract/index.ts';
import type { JobContext } from './context.ts';

export function createJobClient(ctx: JobContext): PuffleClient {
  return createPuffleClient({
    baseUrl: ctx.config.baseUrl,
    apiKey: ctx.apiKey,
    timeoutMs: ctx.config.requestTimeoutMs,
    maxRateLimitWaitMs: Math.min(ctx.slotWaitMs, ctx.config.maxRateLimitWaitMs),
    maxResponseBytes: ctx.config.maxResponseBytes,
    budget: ctx.budget,
    logger: ctx.logger,
  });
}
