/**
 * How partition failures become a stream's status, and stream statuses a run's — one rule for
 * the inline runner and the BullMQ worker, so `sync` and `sync --queue` report a run the same way.
 */
import type { RunStatus } from '../load/index.ts';

export type FinalStatus = Exclude<RunStatus, 'running'>;

/**
 * All partitions fine → succeeded. A rejected key → failed. A rate-limit stop → partial (the next
 * run resumes from the checkpoints). Otherwise partial when some partitions succeeded.
 */
export function streamStatusOf(attempted: number, failures: readonly { name: string }[]): FinalStatus {
  const first = failures[0];
  if (!first) return 'succeeded';
  if (first.name === 'AuthRejectedError') return 'failed';
  if (first.name === 'RateLimitedError') return 'partial';
  return failures.length < attempted ? 'partial' : 'failed';
}

/** A rejected key fails the run; otherwise succeeded / failed only when every stream agrees. */
export function runStatusOf(streams: readonly { status: string }[], authRejected: boolean): FinalStatus {
  if (authRejected) return 'failed';
  const failed = streams.filter((s) => s.status !== 'succeeded');
  if (failed.length === 0) return 'succeeded';
  return failed.length === streams.length ? 'failed' : 'partial';
}
