/**
 * The inline runner behind `puffle-sync sync`: every selected stream in one process, parents
 * before their children, independent streams concurrently (the shared request budget, not this
 * runner, decides how fast requests go), each partition through the same step as the BullMQ worker.
 */
import pLimit from 'p-limit';
import { type ErrorSummary, errorSummary } from '../error-summary.ts';
import type { PuffleClient } from '../extract/index.ts';
import { AuthRejectedError, RequestRejectedError, type RequestStats, statsSince } from '../extract/index.ts';
import type { StreamDef, StreamName } from '../extract/streams.ts';
import { streamsInDependencyOrder } from '../extract/streams.ts';
import type { Database, DeleteGuard, PageCounts } from '../load/index.ts';
import {
  abandonInterruptedRuns,
  findInterruptedRun,
  findStoppedFullRefresh,
  finishRun,
  finishStreamRun,
  type InterruptedRun,
  listPartitions,
  reopenRun,
  runRowClosed,
  startRun,
  startStreamRun,
} from '../load/index.ts';
import type { Logger } from '../log.ts';
import { inSpan } from '../tracing.ts';
import { retryOnConnectionLoss } from './database-retry.ts';
import { PartitionBusyError } from './errors/partition-busy-error.ts';
import { SyncAlreadyRunningError } from './errors/sync-already-running-error.ts';
import { SyncInterruptedError } from './errors/sync-interrupted-error.ts';
import { lockForInlineSync } from './inline-lock.ts';
import { type FinalStatus, runStatusOf, streamStatusOf } from './outcome.ts';
import { type PartitionLocks, partitionLockKey } from './partition-locks.ts';
import { reapplyPrivacyForFullRefresh } from './privacy-refresh.ts';
import type { ProgressListener } from './progress.ts';
import { readRunReport, toSyncSummary } from './queue/run-report.ts';
import { addCounts, emptyCounts, syncPartition } from './sync-partition.ts';

export type RunStatus = FinalStatus;

export interface RunSyncDeps {
  db: Database;
  client: PuffleClient;
  logger: Logger;
  /** Fences each partition walk against queue workers sharing the database. */
  locks?: PartitionLocks;
}

/** `requestsByStatus`: `network` / `timeout` when no response came back. */
export interface StreamSummary extends RequestStats {
  stream: StreamName;
  status: RunStatus;
  partitions: number;
  pages: number;
  counts: PageCounts;
  error?: ErrorSummary;
}

export interface SyncSummary {
  runId: string;
  status: RunStatus;
  /** A full refresh, asked for or an interrupted full-refresh run this one continued. */
  fullRefresh: boolean;
  durationMs: number;
  streams: StreamSummary[];
  error?: ErrorSummary;
}

export interface RunSyncOptions {
  streams: readonly StreamName[];
  fullRefresh?: boolean;
  trigger?: 'manual' | 'schedule' | 'demo';
  enrichmentRunIds?: readonly string[];
  lookbackMs: number;
  /**
   * Continue the newest run a dead process left `running` (same streams): partitions it completed
   * are skipped, the rest resume from their checkpoints. A full-refresh run stays one whichever
   * command continues it; `fullRefresh` continues only a full-refresh run. @default true
   */
  resumeInterrupted?: boolean;
  /** Partitions walked at once across all streams. @default 4 */
  concurrency?: number;
  /** When a completed walk's sweep is held instead of applied. @default DEFAULT_DELETE_GUARD */
  deleteGuard?: DeleteGuard;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export async function runSync(deps: RunSyncDeps, opts: RunSyncOptions): Promise<SyncSummary> {
  const { db } = deps;
  // One inline run per schema at a time: a second one would walk the same partitions (and
  // mistake the live run for an interrupted one to resume). A webhook sync holding it is waited for.
  const lock = await lockForInlineSync(db);
  if (!lock) throw new SyncAlreadyRunningError(db.schema);
  try {
    // One trace per inline run (when tracing is on): its requests and page commits hang under it.
    return await inSpan('puffle.run.inline', { 'puffle.run.trigger': opts.trigger ?? 'manual' }, () =>
      runLocked(deps, opts),
    );
  } finally {
    await lock.release();
  }
}

async function runLocked(deps: RunSyncDeps, opts: RunSyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const { db, client, logger } = deps;
  const trigger = opts.trigger ?? 'manual';
  const { runId, fullRefresh } = await openRun(db, logger, trigger, opts);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const limit = pLimit(opts.concurrency ?? 4);
  const order = streamsInDependencyOrder(opts.streams);
  const done = new Map<StreamName, Promise<StreamSummary>>();
  let fatal: Error | undefined;
  // Run bookkeeping rides out a short Postgres outage like the page commits do.
  const withDb = <T>(what: string, step: (attempt: number) => Promise<T>) =>
    retryOnConnectionLoss(what, step, { logger });

  const runStream = async (def: StreamDef): Promise<StreamSummary> => {
    const parentDone = def.parent ? done.get(def.parent.stream) : undefined;
    if (parentDone) await parentDone;
    const summary: StreamSummary = {
      stream: def.name,
      status: 'succeeded',
      partitions: 0,
      pages: 0,
      counts: emptyCounts(),
      ...statsSince(undefined),
    };
    const before = client.stats()[def.name];
    await withDb('start stream run', () => startStreamRun(db, runId, def.name));
    try {
      if (fatal) throw fatal;
      if (fullRefresh)
        await withDb('re-apply personal-data settings', () =>
          reapplyPrivacyForFullRefresh(db, def, runId, logger),
        );
      const partitions = await withDb('list partitions', () =>
        listPartitions(db, def, { configuredIds: opts.enrichmentRunIds, fullRefresh }),
      );
      summary.partitions = partitions.length;
      opts.onProgress?.({ type: 'stream-start', stream: def.name, partitions: partitions.length });
      let done = 0;
      const results = await Promise.allSettled(
        partitions.map((partition) =>
          limit(async () => {
            if (fatal) throw fatal;
            if (abort.signal.aborted) throw new SyncInterruptedError({ cause: abort.signal.reason });
            const lockKey = partitionLockKey(db.schema, def.name, partition);
            if (deps.locks && !(await withDb('lock partition', () => deps.locks!.tryLock(lockKey))))
              throw new PartitionBusyError(def.name, partition);
            try {
              const r = await syncPartition(
                // Page-level progress only where the partition is the whole stream; multi-partition
                // streams report per finished partition below.
                { db, client, logger, onProgress: partitions.length === 1 ? opts.onProgress : undefined },
                {
                  runId,
                  stream: def,
                  partition,
                  fullRefresh,
                  lookbackMs: opts.lookbackMs,
                  deleteGuard: opts.deleteGuard,
                  signal: abort.signal,
                },
              );
              summary.pages += r.pages;
              addCounts(summary.counts, r.counts);
              if (!r.complete) throw new SyncInterruptedError({ cause: abort.signal.reason });
            } catch (err) {
              if (def.parent && err instanceof RequestRejectedError && err.isNotFound) {
                // The parent row vanished between listing and walking: its children are gone too.
                logger.info({ stream: def.name, partition }, 'parent no longer exists; partition skipped');
                return;
              }
              if (err instanceof AuthRejectedError) {
                fatal ??= err;
                abort.abort(err);
              }
              // A request in flight when the run was asked to stop rejects with the stop's reason:
              // report it like a walk stopped between pages, so a stopped run reads the same.
              if (!fatal && abort.signal.aborted && err === abort.signal.reason)
                throw new SyncInterruptedError({ cause: err });
              throw err;
            } finally {
              await deps.locks?.unlock(lockKey);
              done += 1;
              opts.onProgress?.({
                type: 'page',
                stream: def.name,
                partition,
                pages: summary.pages,
                records: summary.counts.read,
                ...summary.counts,
                partitionsDone: done,
                partitionsTotal: partitions.length,
              });
            }
          }),
        ),
      );
      const failures = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as Error);
      summary.status = streamStatusOf(results.length, failures);
      if (failures[0]) summary.error = errorSummary(failures[0]);
    } catch (err) {
      summary.status = 'failed';
      summary.error = errorSummary(err);
    }
    const requests = statsSince(client.stats()[def.name], before);
    Object.assign(summary, requests);
    // A retry whose previous attempt committed (reply lost) finds the row closed: not added twice.
    await withDb('finish stream run', async (attempt) => {
      if (attempt > 1 && (await runRowClosed(db, runId, def.name))) return;
      await finishStreamRun(db, runId, def.name, {
        status: summary.status,
        error: summary.error,
        ...requests,
      });
    });
    opts.onProgress?.({
      type: 'stream-end',
      stream: def.name,
      status: summary.status,
      error: summary.error?.message,
    });
    if (summary.status !== 'succeeded')
      logger.warn({ stream: def.name, error: summary.error }, 'stream did not succeed');
    return summary;
  };

  for (const def of order) done.set(def.name, runStream(def));
  const streams = await Promise.all(done.values());
  opts.signal?.removeEventListener('abort', onOuterAbort);

  const status = runStatusOf(streams, fatal !== undefined);
  const error = fatal ? errorSummary(fatal) : streams.find((s) => s.error)?.error;
  await withDb('finish run', async (attempt) => {
    if (attempt > 1 && (await runRowClosed(db, runId))) return;
    await finishRun(db, runId, { status, error });
  });
  // What --json and the table show is what sync_runs recorded (see toSyncSummary).
  const recorded = await withDb('read run report', () => readRunReport(db, runId));
  return { ...toSyncSummary(runId, recorded), durationMs: Date.now() - started };
}

/** Inline runs only: BullMQ runs stay `running` while workers elsewhere process them. */
const INLINE_TRIGGERS = ['manual', 'demo'] as const;

/**
 * Continues the interrupted run with the same streams, keeping its full-refresh nature: a plain
 * `sync` after a crashed `--full-refresh` finishes the full refresh (treating it as incremental
 * would skip every partition the crash left unwalked and still report it succeeded). A
 * `--full-refresh` never continues a plain run, whose completed walks predate it. A full refresh
 * the user stopped (Ctrl-C) is continued by the next `--full-refresh` of the same streams when no
 * run came after it; a plain `sync` then runs on its own.
 */
async function openRun(
  db: Database,
  logger: Logger,
  trigger: 'manual' | 'schedule' | 'demo',
  opts: RunSyncOptions,
): Promise<{ runId: string; fullRefresh: boolean }> {
  const fullRefresh = opts.fullRefresh ?? false;
  if (opts.resumeInterrupted !== false) {
    const interrupted = await findInterruptedRun(db, INLINE_TRIGGERS);
    if (interrupted && sameStreams(interrupted, opts.streams) && (interrupted.fullRefresh || !fullRefresh)) {
      await abandonInterruptedRuns(db, INLINE_TRIGGERS, interrupted.runId);
      const context = { runId: interrupted.runId, fullRefresh: interrupted.fullRefresh };
      // Warn: a plain `sync` that turns out to finish a full refresh may take much longer than usual.
      if (interrupted.fullRefresh && !fullRefresh)
        logger.warn(context, 'continuing an interrupted --full-refresh run from its checkpoints');
      else logger.info(context, 'continuing an interrupted run from its checkpoints');
      return { runId: interrupted.runId, fullRefresh: interrupted.fullRefresh };
    }
  }
  await abandonInterruptedRuns(db, INLINE_TRIGGERS);
  if (fullRefresh && opts.resumeInterrupted !== false) {
    const stopped = await findStoppedFullRefresh(db, INLINE_TRIGGERS, SyncInterruptedError.code);
    if (stopped && sameStreams(stopped, opts.streams)) {
      await reopenRun(db, stopped.runId);
      logger.info({ runId: stopped.runId }, 'continuing the stopped --full-refresh run from its checkpoints');
      return { runId: stopped.runId, fullRefresh: true };
    }
  }
  return { runId: await startRun(db, { trigger, streams: [...opts.streams], fullRefresh }), fullRefresh };
}

function sameStreams(run: InterruptedRun, streams: readonly StreamName[]): boolean {
  return run.streams.length === streams.length && streams.every((s) => run.streams.includes(s));
}
