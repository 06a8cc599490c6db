/**
 * The part of a shared budget that is the same whatever holds the GCRA state (Redis, Postgres):
 * reserve a fleet-wide slot in one atomic round trip, sleep locally until it, and re-check the
 * shared 429 block before going, since another worker may have hit a 429 in the meantime.
 */
import { sleep } from '../sleep.ts';
import { type RequestBudget, waitTooLong } from './request-budget.ts';

export interface GcraStore {
  /** Reserves the next slot: ms until it, and ms the key stays blocked by a 429 (both ≥ 0). */
  reserve(): Promise<{ waitMs: number; blockedMs: number }>;
  /** Moves the block to at least `delayMs` from now (0 = only read); → ms it still lasts. */
  block(delayMs: number): Promise<number>;
  close(): Promise<void>;
}

export function storeBudget(store: GcraStore): RequestBudget {
  let localBlocked = 0;
  let closing: Promise<void> | undefined;
  const remember = (remainingMs: number) => {
    if (remainingMs > 0) localBlocked = Math.max(localBlocked, Date.now() + remainingMs);
  };
  return {
    async take(signal, opts) {
      const started = Date.now();
      let blockedMs = 0;
      for (;;) {
        signal?.throwIfAborted();
        const slot = await store.reserve();
        remember(slot.blockedMs);
        blockedMs += slot.blockedMs;
        if (slot.waitMs <= 0) return { waitedMs: Date.now() - started, blockedMs };
        // The reserved slot stays taken: harmless, the key is blocked past it anyway.
        if (opts?.maxWaitMs !== undefined && slot.waitMs > opts.maxWaitMs)
          throw waitTooLong(slot.waitMs, opts.maxWaitMs);
        await sleep(slot.waitMs, signal);
        // Another worker may have hit a 429 while we slept: its block beats our reserved slot.
        const stillBlocked = await store.block(0);
        remember(stillBlocked);
        if (stillBlocked <= 0) return { waitedMs: Date.now() - started, blockedMs };
      }
    },
    async blockUntil(epochMs) {
      const delay = Math.max(0, epochMs - Date.now());
      localBlocked = Math.max(localBlocked, epochMs);
      if (delay > 0) remember(await store.block(delay));
    },
    blockedUntil: () => localBlocked,
    close() {
      closing ??= store.close();
      return closing;
    },
  };
}
