/** Per-key sliding-window request budget (a log of accepted request times per key). */
import type { RateLimit } from '../types.ts';

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(public limit: RateLimit) {}

  /** Accepts the request (0) or returns how many ms until the window has room again. */
  take(key: string, now: number): number {
    const { limit, windowMs } = this.limit;
    let log = this.hits.get(key);
    if (!log) {
      log = [];
      this.hits.set(key, log);
    }
    let drop = 0;
    while (drop < log.length && (log[drop] as number) <= now - windowMs) drop++;
    if (drop) log.splice(0, drop);
    if (log.length < limit) {
      log.push(now);
      return 0;
    }
    return Math.max(1, (log[log.length - limit] as number) + windowMs - now);
  }
}
