/** A request budget that reports every take() that had to wait, for a process's own metrics. */
import type { RequestBudget, TakeResult } from './request-budget.ts';

export function observeBudget(budget: RequestBudget, onWait: (took: TakeResult) => void): RequestBudget {
  return {
    async take(signal, opts) {
      const took = await budget.take(signal, opts);
      if (took.waitedMs > 0) onWait(took);
      return took;
    },
    blockUntil: (epochMs) => budget.blockUntil(epochMs),
    blockedUntil: () => budget.blockedUntil(),
    close: () => budget.close(),
  };
}
