/**
 * How partition failures become a stream's status, and stream statuses a run's — one rule for
 * the inline runner and the BullMQ worker, so `sync` and `sync --queue` report a run the same way.
 */
import { errorCodeOf } from '../error-summary.ts';
import { AuthRejectedError, RateLimitedError } from '../extract/index.ts';
import type { RunStatus } from '../load/index.ts';

export type FinalStatus = Exclude<RunStatus, 'running'>;

/**
 * All partitions fine → succeeded. A rejected key → failed. A rate-limit stop → partial (the next
 * run resumes from the checkpoints). Otherwise partial when some partitions succeeded. A failure
 * is an error (inline) or its summary read back from the queue: either carries its `code`.
 */
export function streamStatusOf(attempted: number, failures: readonly unknown[]): FinalStatus {
  if (failures.length === 0) return 'succeeded';
  const code = errorCodeOf(failures[0]);
  if (code === AuthRejectedError.code) return 'failed';
  if (code === RateLimitedError.code) return 'partial';
  return failures.length < attempted ? 'partial' : 'failed';
}

/** A rejected key fails the run; otherwise succeeded / failed only when every stream agrees. */
export function runStatusOf(streams: readonly { status: string }[], authRejected: boolean): FinalStatus {
  if (authRejected) return 'failed';
  const failed = streams.filter((s) => s.status !== 'succeeded');
  if (failed.length === 0) return 'succeeded';
  return failed.length === streams.length ? 'failed' : 'partial';
}
