/**
 * What both runners print of a run (the table and `--json`): the run as sync_runs recorded it
 * (load's readRunReport, re-exported for the queue's callers), turned into a SyncSummary.
 */
import type { StreamName } from '../../extract/streams.ts';
import type { RunReport } from '../../load/index.ts';
import type { StreamSummary, SyncSummary } from '../run-sync.ts';

export { type RunReport, type RunRow, readRunReport } from '../../load/index.ts';

/**
 * The summary `sync` prints (table and `--json`), inline and queued alike: what sync_runs recorded,
 * so the output and the table cannot disagree — a stream stopped mid-walk (rate limited, a failed
 * page) still reports the pages and records it committed.
 */
export function toSyncSummary(runId: string, report: RunReport): SyncSummary {
  const run = report.run;
  const durationMs =
    run?.finishedAt && run.startedAt
      ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()
      : 0;
  const streams: StreamSummary[] = report.streams.map((r) => ({
    stream: r.stream as StreamName,
    status: (r.status === 'running' ? 'failed' : r.status) as StreamSummary['status'],
    partitions: report.partitions[r.stream] ?? 0,
    pages: r.pages,
    counts: {
      read: r.read,
      inserted: r.inserted,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      deleted: r.deleted,
      dropped: r.dropped,
      held: r.held,
    },
    requests: r.requests,
    retries: r.retries,
    rateLimited: r.rateLimited,
    rateLimitWaitMs: Math.round(r.rateLimitWaitSeconds * 1000),
    requestsByStatus: r.requestsByStatus,
    error: r.errorClass ? { name: r.errorClass, message: r.errorMessage ?? '' } : undefined,
  }));
  const status = (run?.status === 'running' || !run ? 'failed' : run.status) as SyncSummary['status'];
  const error = run?.errorClass ? { name: run.errorClass, message: run.errorMessage ?? '' } : undefined;
  return { runId, status, fullRefresh: run?.fullRefresh ?? false, durationMs, streams, error };
}
