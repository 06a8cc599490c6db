/**
 * The one place where sync errors become BullMQ outcomes, by their code:
 * - `auth_rejected` (401; the unit policy has already stopped the run) → `UnrecoverableError`
 *   (no retry storm against a dead key);
 * - `rate_limited` (Puffle asked for a wait longer than `slotWaitMs`) → block the shared budget
 *   until `retryAt`, rate-limit the queue for every worker, and hand the job back with
 *   `RateLimitError`: the slot is freed and no attempt is consumed. A wait beyond
 *   `PUFFLE_MAX_RATE_LIMIT_WAIT_MS` fails the partition instead of looping;
 * - `request_rejected` (400/403/422), `response_too_large`, `pagination` (a source contradicting
 *   itself: the partition fails, as inline; the next run resumes), `run_aborted` →
 *   `UnrecoverableError` (retrying within the run cannot help);
 * - anything else → retried by BullMQ (`attempts`, exponential backoff), then reported failed.
 * BullMQ keeps only an error's message, so every message it gets is a failure reason,
 * `[code] Name: message` (failureReason), and whoever reads one back (the stream job, the run
 * stop) parses it with parseFailure: the code crosses the queue, not prose to match.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { type ErrorSummary, errorSummary, UNCODED } from '../../error-summary.ts';
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

const NOT_RETRIED: ReadonlySet<string> = new Set([
  AuthRejectedError.code,
  RequestRejectedError.code,
  ResponseTooLargeError.code,
  PaginationError.code,
  RunAbortedError.code,
]);

export async function toJobError(ctx: JobContext, runId: string, err: unknown): Promise<Error> {
  const summary = errorSummary(err);
  const reason = failureReason(summary);
  if (summary.code === RateLimitedError.code) {
    const { retryAt } = err as RateLimitedError;
    const waitMs = Math.max(0, Math.ceil(retryAt - Date.now()));
    if (waitMs > ctx.config.maxRateLimitWaitMs) return new UnrecoverableError(reason);
    await ctx.budget.blockUntil(retryAt);
    await ctx.queue.rateLimit(Math.max(1, waitMs));
    ctx.logger.info({ runId, waitMs }, 'rate limited by Puffle: job handed back, queue paused');
    return Worker.RateLimitError();
  }
  if (NOT_RETRIED.has(summary.code)) return new UnrecoverableError(reason);
  return new PartitionFailedError(reason, err);
}

/** `[code] Name: message`, redacted: what BullMQ stores as a job's failedReason. */
export function failureReason({ code, name, message }: ErrorSummary): string {
  return redactSecrets(`[${code}] ${name}: ${message}`);
}

const REASON = /^\[([A-Za-z0-9_.-]{1,64})\] ([^\s:]+): ([\s\S]*)$/;

/**
 * A failure reason back into its parts. A reason BullMQ wrote itself (a stalled job, a lost lock)
 * has no code: it reads as UNCODED, with the whole text as the message.
 */
export function parseFailure(reason: string): ErrorSummary {
  const m = REASON.exec(reason);
  return m ? { code: m[1]!, name: m[2]!, message: m[3]! } : { code: UNCODED, name: 'Error', message: reason };
}
