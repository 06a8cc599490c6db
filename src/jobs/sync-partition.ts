/**
 * The sync step: walk one (stream, partition) from its checkpoint and commit every group of pages
 * (commit-groups.ts) together with the next checkpoint. Shared by the inline runner and the BullMQ
 * worker, so both resume the same way: a crash loses at most one commit group's worth of pages, and
 * those are re-fetched, never skipped.
 */
import type { PuffleClient } from '../extract/index.ts';
import { unsafePartition, walkStream } from '../extract/index.ts';
import type { StreamDef } from '../extract/streams.ts';
import type { Database, DeleteGuard, PageCounts } from '../load/index.ts';
import {
  beginWalk,
  type CommitPageInput,
  commitPage,
  DEFAULT_COMMIT_GROUP,
  finishedByThisRun,
  getState,
  pageLanded,
  rejectPartition,
  restartsWalk,
  type StepCheckpoint,
  stepStateKey,
  type Walk,
  walkSince,
} from '../load/index.ts';
import type { Logger } from '../log.ts';
import { commitGroups } from './commit-groups.ts';
import { retryOnConnectionLoss } from './database-retry.ts';
import type { ProgressListener } from './progress.ts';
import { isStaleResumePoint, staleResumeWarning } from './stale-resume.ts';

/** One sync step: the walk of (stream, partition) its checkpoint fields (StepCheckpoint) describe. */
export interface PartitionJob extends StepCheckpoint {
  /** When a completed walk's sweep is held instead of applied. @default DEFAULT_DELETE_GUARD */
  deleteGuard?: DeleteGuard;
  signal?: AbortSignal;
}

export interface PartitionResult {
  pages: number;
  counts: PageCounts;
  /** True when the walk reached its end in this call. */
  complete: boolean;
}

export function emptyCounts(): PageCounts {
  return { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0, dropped: 0, held: 0 };
}

export function addCounts(into: PageCounts, more: PageCounts): PageCounts {
  into.read += more.read;
  into.inserted += more.inserted;
  into.updated += more.updated;
  into.unchanged += more.unchanged;
  into.rejected += more.rejected;
  into.deleted += more.deleted;
  into.dropped += more.dropped;
  into.held += more.held;
  return into;
}

export async function syncPartition(
  deps: { db: Database; client: PuffleClient; onProgress?: ProgressListener; logger?: Logger },
  job: PartitionJob,
): Promise<PartitionResult> {
  const { db } = deps;
  const { stream, partition } = job;
  const stateKey = stepStateKey(job);
  const retry = { signal: job.signal, logger: deps.logger };
  const unsafe = unsafePartition(stream, partition);
  if (unsafe) {
    // A parent id like `..` would request another endpoint: recorded, never requested.
    const recorded = await retryOnConnectionLoss(
      'record rejected partition',
      () =>
        rejectPartition(db, {
          runId: job.runId,
          stream,
          partition: unsafe.partition,
          rawPartition: partition,
          reason: unsafe.message,
        }),
      retry,
    );
    deps.logger?.warn({ stream: stream.name, partition: unsafe.partition, err: unsafe }, unsafe.message);
    return { pages: 0, counts: { ...emptyCounts(), rejected: recorded ? 1 : 0 }, complete: true };
  }
  const state = await retryOnConnectionLoss(
    'read checkpoint',
    () => getState(db, stream.name, stateKey),
    retry,
  );
  const restart = restartsWalk(job, state);
  if (finishedByThisRun(job, state, restart)) return { pages: 0, counts: emptyCounts(), complete: true };
  const begin = (fresh: boolean) =>
    retryOnConnectionLoss('begin walk', () => beginWalk(db, stream, stateKey, { restart: fresh }), retry);
  const walk = await begin(restart);
  const since = walkSince(job, restart, walk.highWater);
  const result: PartitionResult = { pages: 0, counts: emptyCounts(), complete: false };
  const at = { since, snapshotDate: snapshotDateOf(job) };
  try {
    await commitWalk(deps, job, stateKey, walk, at, result);
  } catch (err) {
    if (!isStaleResumePoint(walk, result.pages, err)) throw err;
    deps.logger?.warn(
      { stream: stream.name, partition, status: err.status },
      staleResumeWarning(stream.name, partition, err),
    );
    // The same `since` as the resumed walk: only the stale cursor is dropped, not the high-water mark.
    await commitWalk(deps, job, stateKey, await begin(true), at, result);
  }
  return result;
}

/** Walks from `walk.resume` and commits every page with its checkpoint, counting into `result`. */
async function commitWalk(
  deps: { db: Database; client: PuffleClient; onProgress?: ProgressListener; logger?: Logger },
  job: PartitionJob,
  stateKey: string,
  walk: Walk,
  at: { since: string | undefined; snapshotDate: string | undefined },
  result: PartitionResult,
): Promise<void> {
  const { db, client } = deps;
  const { stream, partition } = job;
  const retry = { signal: job.signal, logger: deps.logger };
  const { counts } = result;
  const pagesOf = walkStream(client, stream, {
    partition,
    resume: walk.resume,
    since: at.since,
    until: job.window?.until,
    snapshotDate: at.snapshotDate,
    signal: job.signal,
  });
  for await (const group of commitGroups(pagesOf, db.commitGroup ?? DEFAULT_COMMIT_GROUP)) {
    const last = group.at(-1)!;
    const input: CommitPageInput = {
      runId: job.runId,
      stream,
      partition: stateKey,
      partitionValue: partition,
      snapshotDate: at.snapshotDate,
      walkId: walk.walkId,
      records: group.flatMap((page) => withinWindow(page.records, stream, job.window)),
      resume: last.resume,
      pages: group.length,
      trackHighWater: !job.window && !job.targeted,
      deleteGuard: job.deleteGuard,
    };
    const pageCounts = await retryOnConnectionLoss(
      'commit page',
      async (attempt) =>
        attempt > 1 && (await pageLanded(db, input)) ? landedCounts(input) : commitPage(db, input),
      retry,
    );
    result.pages += group.length;
    addCounts(counts, pageCounts);
    if ('hold' in pageCounts && pageCounts.hold) warnHeld(deps.logger, stream, partition, pageCounts.hold);
    result.complete = last.resume === null;
    deps.onProgress?.({
      type: 'page',
      stream: stream.name,
      partition,
      pages: result.pages,
      records: counts.read,
      ...counts,
    });
    if (job.signal?.aborted) break;
  }
}

/** The one-line warning of a held mass deletion: which stream, the numbers, how to accept. */
function warnHeld(
  logger: Logger | undefined,
  stream: StreamDef,
  partition: string,
  hold: { held: number; live: number },
): void {
  const where = partition ? ` (partition ${partition})` : '';
  const share = hold.live > 0 ? Math.round((hold.held * 100) / hold.live) : 100;
  logger?.warn(
    { stream: stream.name, partition, held: hold.held, live: hold.live },
    `${stream.name}${where}: held ${hold.held} of ${hold.live} live rows (${share} %) from deletion; the next complete walk that misses them again deletes them — to delete now, sync --accept-mass-deletes or PUFFLE_ACCEPT_MASS_DELETES=true`,
  );
}

/** What a page that committed before its reply was lost counts as: read, outcome unknown. */
function landedCounts(input: CommitPageInput): PageCounts {
  return { ...emptyCounts(), read: input.records.length };
}

/**
 * The UTC date (`YYYY-MM-DD`) a snapshot stream's walk records: its backfill day, else today.
 */
export function snapshotDateOf(
  job: Pick<PartitionJob, 'stream' | 'window'>,
  now = new Date(),
): string | undefined {
  if (!job.stream.snapshot) return undefined;
  return (job.window?.since ?? now.toISOString()).slice(0, 10);
}

/**
 * Puffle's `/api/signals` documents `since` but no `until`, so a backfill window's upper bound is
 * applied here: records at or after `until` belong to a later window (or the regular sync).
 */
function withinWindow(
  records: Record<string, unknown>[],
  stream: StreamDef,
  window: PartitionJob['window'],
): Record<string, unknown>[] {
  const field = stream.incremental?.cursorField;
  if (!window?.until || !field) return records;
  const until = Date.parse(window.until);
  const camel = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return records.filter((r) => {
    const at = Date.parse(String(r[field] ?? r[camel]));
    return Number.isNaN(at) || at < until;
  });
}
