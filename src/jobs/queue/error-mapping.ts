/**
 * The one place where sync errors become BullMQ outcomes:
 * - 401 `AuthRejectedError` (the unit policy has already stopped the run) → `UnrecoverableError`
 *   (no retry storm against a dead key);
 * - `RateLimitedError` (Puffle asked for a wait longer than `slotWaitMs`) → block the shared budget
 *   until `retryAt`, rate-limit the queue for every worker, and hand the job back with
 *   `RateLimitError`: the slot is freed and no attempt is consumed. A wait beyond
 *   `PUFFLE_MAX_RATE_LIMIT_WAIT_MS` fails the partition instead of looping;
 * - 400/403/422 `RequestRejectedError`, `ResponseTooLargeError`, `PaginationError` (a source
 *   contradicting itself: the partition fails with its code, as inline; the next run resumes),
 *   `RunAbortedError` → `UnrecoverableError` (retrying within the run cannot help);
 * - anything else → retried by BullMQ (`attempts`, exponential backoff), then reported failed.
 * Messages keep the original class name in front, as BullMQ stores only the message.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { errorSummary } from '../../error-summary.ts';
import {
  AuthRejectedError,
  PaginationError,
  RateLimitedError,
  RequestRejectedError,
  ResponseTooLargeError,
} from '../../extract/index.ts';
import { redactSecrets } from '../../log.ts';
import type { JobContext } from './context.ts';
import { PartitionFailedError, RunAbortedError } from './errors/index.ts';

export async function toJobError(ctx: JobContext, runId: string, err: unknown): Promise<Error> {
  const error = err instanceof Error ? err : new Error(String(err));
  const summary = errorSummary(error);
  const described = redactSecrets(`${summary.name}: ${summary.message}`);
  if (error instanceof AuthRejectedError) return new UnrecoverableError(described);
  if (error instanceof RateLimitedError) {
    const waitMs = Math.max(0, Math.ceil(error.retryAt - Date.now()));
    if (waitMs > ctx.config.maxRateLimitWaitMs) return new UnrecoverableError(described);
    await ctx.budget.blockUntil(error.retryAt);
    await ctx.queue.rateLimit(Math.max(1, waitMs));
    ctx.logger.info({ runId, waitMs }, 'rate limited by Puffle: job handed back, queue paused');
    return Worker.RateLimitError();
  }
  if (
    error instanceof RequestRejectedError ||
    error instanceof ResponseTooLargeError ||
    error instanceof PaginationError ||
    error instanceof RunAbortedError
  )
    return new UnrecoverableError(described);
  return new PartitionFailedError(error);
}

/** `RetryableError: GET /api/x …` → { name, message }; a bare message is an `Error`. */
export function parseFailure(reason: string): { name: string; message: string } {
  const m = /^([A-Z][A-Za-z]*Error): ([\s\S]*)$/.exec(reason);
  return m ? { name: m[1]!, message: m[2]! } : { name: 'Error', message: reason };
}
