/**
 * The inline driver behind `puffle-sync sync`: the run's plan (plan/) executed in one process —
 * parents before their children, independent streams concurrently, units on one p-limit (the
 * shared request budget, not this driver, decides how fast requests go), each unit through the
 * same policy as the BullMQ driver's partition jobs (plan/unit-policy.ts).
 */
import pLimit from 'p-limit';
import type { PuffleClient, RequestStats } from '../extract/index.ts';
import type { StreamName } from '../extract/streams.ts';
import type { Database, DeleteGuard, PageCounts } from '../load/index.ts';
import {
  abandonInterruptedRuns,
  findInterruptedRun,
  findStoppedFullRefresh,
  type InterruptedRun,
  reopenRun,
  startRun,
} from '../load/index.ts';
import type { Logger } from '../log.ts';
import { inSpan } from '../tracing.ts';
import { retryOnConnectionLoss } from './database-retry.ts';
import { SyncAlreadyRunningError } from './errors/sync-already-running-error.ts';
import { SyncInterruptedError } from './errors/sync-interrupted-error.ts';
import { lockForInlineSync } from './inline-lock.ts';
import { type InlineRun, runInlineStream } from './inline-stream.ts';
import type { FinalStatus } from './outcome.ts';
import type { PartitionLocks } from './partition-locks.ts';
import { streamOrder, waitsFor } from './plan/run-plan.ts';
import { inMemoryRunStop } from './plan/run-stop.ts';
import { closeRun, type PlanIo, runOutcome } from './plan/stream-policy.ts';
import type { ProgressListener } from './progress.ts';
import { readRunReport, toSyncSummary } from './queue/run-report.ts';

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
  error?: { name: string; message: string };
}

export interface SyncSummary {
  runId: string;
  status: RunStatus;
  /** A full refresh, asked for or an interrupted full-refresh run this one continued. */
  fullRefresh: boolean;
  durationMs: number;
  streams: StreamSummary[];
  error?: { name: string; message: string };
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
  const { runId, fullRefresh } = await openRun(db, logger, opts.trigger ?? 'manual', opts);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // Run bookkeeping rides out a short Postgres outage like the page commits do.
  const io: PlanIo = { db, logger, withDb: (what, step) => retryOnConnectionLoss(what, step, { logger }) };
  const run: InlineRun = {
    plan: { runId, streams: opts.streams, fullRefresh, settings: opts },
    io,
    client,
    locks: deps.locks,
    stop: inMemoryRunStop(abort),
    limit: pLimit(opts.concurrency ?? 4),
    lookbackMs: opts.lookbackMs,
    deleteGuard: opts.deleteGuard,
    signal: abort.signal,
    onProgress: opts.onProgress,
  };
  const done = new Map<StreamName, Promise<StreamSummary>>();
  for (const def of streamOrder(opts.streams)) {
    const parent = waitsFor(def.name, opts.streams);
    const parentDone = parent ? done.get(parent) : undefined;
    done.set(
      def.name,
      (parentDone ?? Promise.resolve()).then(() => runInlineStream(run, def)),
    );
  }
  const streams = await Promise.all(done.values());
  opts.signal?.removeEventListener('abort', onOuterAbort);
  await closeRun(io, runId, runOutcome(streams, await run.stop.reason()));
  // What --json and the table show is what sync_runs recorded (see toSyncSummary).
  const recorded = await io.withDb('read run report', () => readRunReport(db, runId));
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
    const stopped = await findStoppedFullRefresh(db, INLINE_TRIGGERS, SyncInterruptedError.name);
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
