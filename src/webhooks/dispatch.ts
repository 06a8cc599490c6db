/**
 * How the receiver gets a targeted sync run once it recorded an event:
 * - inline (no REDIS_URL): it runs the sync itself, one per stream at a time, after a short
 *   coalescing window (a burst of events makes one sync; events arriving during a sync make one
 *   more after it). It takes the schema's inline-sync lock, so it never walks while a `sync` does
 *   (see inline-lock.ts); while one runs, the webhook sync waits and tries again — the events stay
 *   recorded as pending, so nothing is lost.
 * - queue (REDIS_URL): it adds a `webhook` job with a deterministic id per coalescing window and
 *   the workers run it.
 * `request()` never throws: a failure leaves the events pending, and the receiver's sweep asks again.
 */
import type { Queue } from 'bullmq';
import type { PuffleClient } from '../extract/index.ts';
import { lockForWebhookSync } from '../jobs/inline-lock.ts';
import type { PartitionLocks } from '../jobs/partition-locks.ts';
import { enqueueWebhookSync } from '../jobs/queue/index.ts';
import { syncWebhookEvents, type TargetedStream } from '../jobs/targeted-sync.ts';
import type { Database } from '../load/index.ts';
import type { Logger } from '../log.ts';

export interface SyncDispatcher {
  readonly mode: 'inline' | 'queue';
  /** A targeted sync of `stream` soon; `sweep`: for events left pending, not a fresh delivery. */
  request(stream: TargetedStream, opts?: { sweep?: boolean }): void;
  /** Stops timers and waits for a sync in flight (stopped at its next page). Idempotent. */
  close(): Promise<void>;
}

/** While a `sync` holds the schema, how often an inline webhook sync tries again. */
const BUSY_RETRY_MS = 5_000;

export interface InlineDispatcherOptions {
  db: Database;
  client: PuffleClient;
  locks: PartitionLocks;
  logger: Logger;
  lookbackMs: number;
  coalesceMs: number;
}

export function inlineDispatcher(opts: InlineDispatcherOptions): SyncDispatcher {
  const { db, client, locks, logger } = opts;
  const abort = new AbortController();
  const state = new Map<
    TargetedStream,
    { timer?: NodeJS.Timeout; running?: Promise<void>; dirty: boolean }
  >();
  let closing: Promise<void> | undefined;
  // One targeted sync at a time in this process: the schema lock is per session, so a second
  // stream's sync taking it alongside would find it held and wait out a retry for nothing.
  let chain: Promise<unknown> = Promise.resolve();

  const runOnce = (stream: TargetedStream): Promise<'busy' | 'done'> => {
    const task = async (): Promise<'busy' | 'done'> => {
      const lock = await lockForWebhookSync(db);
      if (!lock) return 'busy';
      try {
        const result = await syncWebhookEvents(
          { db, client, logger, locks },
          { stream, lookbackMs: opts.lookbackMs, signal: abort.signal },
        );
        return result.status === 'busy' ? 'busy' : 'done';
      } finally {
        await lock.release();
      }
    };
    const next = chain.then(task, task);
    chain = next.catch(() => {});
    return next;
  };

  const schedule = (stream: TargetedStream, delayMs: number) => {
    const s = state.get(stream)!;
    if (closing || s.running || s.timer) return;
    s.timer = setTimeout(() => start(stream), delayMs);
  };

  const start = (stream: TargetedStream) => {
    const s = state.get(stream)!;
    s.timer = undefined;
    s.dirty = false;
    s.running = runOnce(stream)
      .catch((err: unknown) => {
        logger.warn({ err, stream }, 'webhook-triggered sync could not run; its events stay pending');
        return 'done' as const;
      })
      .then((outcome) => {
        s.running = undefined;
        if (outcome === 'busy') {
          logger.info({ stream }, 'another sync is running; the webhook-triggered sync runs after it');
          s.dirty = true;
          schedule(stream, BUSY_RETRY_MS);
        } else if (s.dirty) schedule(stream, opts.coalesceMs);
      });
  };

  return {
    mode: 'inline',
    request(stream) {
      if (!state.has(stream)) state.set(stream, { dirty: false });
      state.get(stream)!.dirty = true;
      schedule(stream, opts.coalesceMs);
    },
    close: () =>
      (closing ??= (async () => {
        abort.abort(new Error('the webhook receiver is shutting down'));
        for (const s of state.values()) clearTimeout(s.timer);
        await Promise.all([...state.values()].map((s) => s.running));
      })()),
  };
}

export function queueDispatcher(opts: { queue: Queue; logger: Logger; coalesceMs: number }): SyncDispatcher {
  return {
    mode: 'queue',
    request(stream, { sweep } = {}) {
      enqueueWebhookSync(opts.queue, stream, { coalesceMs: opts.coalesceMs, sweep }).catch((err: unknown) =>
        opts.logger.warn(
          { err, stream },
          'could not queue the webhook-triggered sync; its events stay pending',
        ),
      );
    },
    close: async () => {},
  };
}
