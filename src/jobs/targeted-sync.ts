/**
 * A targeted sync: what a Puffle webhook asks for. It takes the stream's pending webhook events
 * (webhook_events), walks the stream under a checkpoint of its own — `signals` from just before
 * the earliest event's `detected_at` (minus the lookback, which absorbs any gap between that and
 * the row's `created_at`), `research_people` in full — and settles the events: those whose row is
 * now in the warehouse are done, the others are retried later. The rows always come from the API;
 * an event only says when and where to look. The webhook receiver runs it itself when there is no
 * queue; otherwise a queue worker does (`webhook` jobs).
 *
 * The regular walk's checkpoint, completion and high-water mark are never touched (see
 * `PartitionJob.targeted`), so the nightly run goes on exactly as before.
 */
import { errorSummary } from '../error-summary.ts';
import type { PuffleClient } from '../extract/index.ts';
import { statsSince } from '../extract/index.ts';
import { getStream, type StreamName } from '../extract/streams.ts';
import {
  abandonInterruptedRuns,
  type Database,
  duePendingEvents,
  finishRun,
  finishStreamRun,
  type PendingWebhookEvent,
  type RunError,
  runRowClosed,
  type SettleResult,
  settleWebhookEvents,
  startRun,
  startStreamRun,
  targetedStateKey,
} from '../load/index.ts';
import type { Logger } from '../log.ts';
import { retryOnConnectionLoss } from './database-retry.ts';
import { SyncInterruptedError } from './errors/sync-interrupted-error.ts';
import { type PartitionLocks, partitionLockKey } from './partition-locks.ts';
import { syncPartition } from './sync-partition.ts';

/** The streams webhook events re-sync: root streams, walked as one partition. */
export const TARGETED_STREAMS = ['signals', 'research_people'] as const satisfies readonly StreamName[];
export type TargetedStream = (typeof TARGETED_STREAMS)[number];

/** Waits before the next attempt at an event whose row did not land; after the last, it is given up. */
export const WEBHOOK_RETRY_BACKOFF_MS: readonly number[] = [5_000, 15_000, 60_000, 300_000, 900_000];

export interface TargetedSyncDeps {
  db: Database;
  client: PuffleClient;
  logger: Logger;
  /** Fences targeted walks of one stream against each other, across processes. */
  locks: PartitionLocks;
}

export interface TargetedSyncOptions {
  stream: TargetedStream;
  /** Subtracted from the earliest `detected_at` (PUFFLE_SIGNALS_LOOKBACK_MS). */
  lookbackMs: number;
  signal?: AbortSignal;
}

export type TargetedSyncResult =
  /** Another process walks this stream's targeted checkpoint right now. */
  | { status: 'busy' }
  /** No event of the stream is due. */
  | { status: 'idle' }
  | {
      status: 'succeeded' | 'failed';
      runId: string;
      events: number;
      settled: SettleResult;
      error?: RunError;
    };

export async function syncWebhookEvents(
  deps: TargetedSyncDeps,
  opts: TargetedSyncOptions,
): Promise<TargetedSyncResult> {
  const { db, client, logger } = deps;
  const def = getStream(opts.stream);
  const partition = '';
  const withDb = <T>(what: string, step: (attempt: number) => Promise<T>) =>
    retryOnConnectionLoss(what, step, { logger, signal: opts.signal });
  const lockKey = partitionLockKey(db.schema, def.name, targetedStateKey(partition));
  if (!(await deps.locks.tryLock(lockKey))) return { status: 'busy' };
  try {
    const events = await withDb('read webhook events', () => duePendingEvents(db, def.name));
    if (events.length === 0) return { status: 'idle' };
    // Every targeted run of this stream holds this lock: one still `running` belongs to a dead process.
    await withDb('close abandoned webhook runs', () =>
      abandonInterruptedRuns(db, ['webhook'], undefined, [def.name]),
    );
    const runId = await withDb('start run', () => startRun(db, { trigger: 'webhook', streams: [def.name] }));
    await withDb('start stream run', () => startStreamRun(db, runId, def.name));
    const before = client.stats()[def.name];
    let error: RunError | undefined;
    try {
      const result = await syncPartition(
        { db, client, logger },
        {
          runId,
          stream: def,
          partition,
          lookbackMs: opts.lookbackMs,
          targeted: { since: sinceOf(events, def.incremental ? opts.lookbackMs : undefined) },
          signal: opts.signal,
        },
      );
      if (!result.complete) throw new SyncInterruptedError({ cause: opts.signal?.reason });
    } catch (err) {
      error = errorSummary(err);
    }
    // Settled first: an event's synced_at is as close to its row's commit as it can be.
    const settled = await withDb('settle webhook events', () =>
      settleWebhookEvents(db, {
        stream: def.name,
        messageIds: events.map((e) => e.messageId),
        runId,
        walked: !error,
        backoffMs: WEBHOOK_RETRY_BACKOFF_MS,
      }),
    );
    const status = error ? 'failed' : 'succeeded';
    const requests = statsSince(client.stats()[def.name], before);
    await withDb('finish stream run', async (attempt) => {
      if (attempt > 1 && (await runRowClosed(db, runId, def.name))) return;
      await finishStreamRun(db, runId, def.name, { status, error, ...requests });
    });
    // No embedded-database housekeeping: a targeted walk leaves no seen-marks and few rows.
    await withDb('finish run', () => finishRun(db, runId, { status, error, housekeeping: false }));
    const context = { stream: def.name, runId, events: events.length, ...settled };
    if (error)
      logger.warn({ ...context, error }, 'webhook-triggered sync failed; its events will be retried');
    else if (settled.gaveUp > 0)
      logger.warn(context, 'rows of some webhook events never appeared; the nightly run is the backstop');
    else logger.info(context, 'webhook-triggered sync done');
    return { status, runId, events: events.length, settled, error };
  } finally {
    await deps.locks.unlock(lockKey);
  }
}

/** The walk's lower bound: the earliest event time minus the lookback; none for a full re-walk. */
function sinceOf(events: readonly PendingWebhookEvent[], lookbackMs: number | undefined): string | undefined {
  if (lookbackMs === undefined) return undefined;
  const earliest = Math.min(...events.map((e) => Date.parse(e.detectedAt)));
  return new Date(earliest - lookbackMs).toISOString();
}
