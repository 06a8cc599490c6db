/**
 * A request budget that records every block the client puts on it: the wait the client decided
 * from a 429 (`asked`, exact: read from the headers) and when the block ends (`until`). Timing
 * tests check that decision exactly and the real wait only by order and generous ratios, so a
 * loaded machine cannot make them flake.
 */
import type { RequestBudget } from '../../src/extract/index.ts';

export interface RecordedBlock {
  /** The wait asked for, in ms (`until` minus the clock when the client called blockUntil). */
  asked: number;
  /** Epoch ms the block ends. */
  until: number;
}

export function recordingBudget(inner: RequestBudget): { budget: RequestBudget; blocks: RecordedBlock[] } {
  const blocks: RecordedBlock[] = [];
  const budget: RequestBudget = {
    take: (signal, opts) => inner.take(signal, opts),
    blockUntil: (until) => {
      blocks.push({ asked: until - Date.now(), until });
      return inner.blockUntil(until);
    },
    blockedUntil: () => inner.blockedUntil(),
    close: () => inner.close(),
  };
  return { budget, blocks };
}
