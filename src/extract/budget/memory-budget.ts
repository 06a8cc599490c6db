/** In-process GCRA budget: one process, one key (inline mode without Redis). */
import { sleep } from '../sleep.ts';
import { intervalMs, type RequestBudget, type TakeResult, waitTooLong } from './request-budget.ts';

export function createMemoryBudget(perMinute: number, safetyMargin?: number): RequestBudget {
  const interval = intervalMs(perMinute, safetyMargin);
  let tat = 0;
  let blocked = 0;

  return {
    async take(signal, opts) {
      const started = Date.now();
      let blockedMs = 0;
      for (;;) {
        const now = Date.now();
        const slot = Math.max(tat, now, blocked);
        if (opts?.maxWaitMs !== undefined && slot - now > opts.maxWaitMs)
          throw waitTooLong(slot - now, opts.maxWaitMs);
        tat = slot + interval;
        blockedMs += Math.max(0, blocked - now);
        try {
          await sleep(slot - now, signal);
        } catch (err) {
          if (tat === slot + interval) tat = slot; // give the unused slot back
          throw err;
        }
        // A 429 seen while we slept moves the whole key, including slots already handed out.
        if (blocked <= Date.now()) return { waitedMs: Date.now() - started, blockedMs } satisfies TakeResult;
      }
    },
    async blockUntil(epochMs) {
      blocked = Math.max(blocked, epochMs);
    },
    blockedUntil: () => blocked,
    async close() {},
  };
}
