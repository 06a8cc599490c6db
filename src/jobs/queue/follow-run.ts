/**
 * Follows a queued run to its end from Postgres (sync_runs), turning row changes into the same
 * progress events the inline runner emits, so `sync --queue --wait` shows the same display.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamName } from '../../extract/streams.ts';
import type { Database } from '../../load/index.ts';
import type { ProgressListener } from '../progress.ts';
import type { SyncSummary } from '../run-sync.ts';
import { readRunReport, toSyncSummary } from './run-report.ts';

export interface FollowRunOptions {
  onProgress?: ProgressListener;
  /** @default 500 */
  pollMs?: number;
  signal?: AbortSignal;
  /** Called once if no worker has started the run after `notStartedMs` (are workers running?). */
  onNotStarted?: () => void;
  /** @default 10000 */
  notStartedMs?: number;
}

export async function followRun(
  db: Database,
  runId: string,
  opts: FollowRunOptions = {},
): Promise<SyncSummary> {
  const seen = new Map<string, { status: string; pages: number }>();
  const started = Date.now();
  let warned = false;
  for (;;) {
    const report = await readRunReport(db, runId);
    if (!report.run && !warned && Date.now() - started > (opts.notStartedMs ?? 10_000)) {
      warned = true;
      opts.onNotStarted?.();
    }
    for (const row of report.streams) {
      const stream = row.stream as StreamName;
      const before = seen.get(stream);
      if (!before) opts.onProgress?.({ type: 'stream-start', stream, partitions: 1 });
      if (!before || before.pages !== row.pages) {
        opts.onProgress?.({
          type: 'page',
          stream,
          partition: '',
          pages: row.pages,
          records: row.read,
          inserted: row.inserted,
          updated: row.updated,
          unchanged: row.unchanged,
          rejected: row.rejected,
          deleted: row.deleted,
        });
      }
      if (row.status !== 'running' && before?.status !== row.status) {
        const status = row.status as 'succeeded' | 'failed' | 'partial';
        opts.onProgress?.({ type: 'stream-end', stream, status, error: row.errorMessage ?? undefined });
      }
      seen.set(stream, { status: row.status, pages: row.pages });
    }
    if (report.run && report.run.status !== 'running') return toSyncSummary(runId, report);
    await sleep(opts.pollMs ?? 500, undefined, { signal: opts.signal });
  }
}
