/**
 * The simulator's clock: what "now" is for Puffle's data. It starts at `startMs` and runs at
 * wall-clock speed; tests move it forward to make time pass. Mutations stamp records with it and
 * Puffle's scheduled jobs (the daily signal cleanup) follow it. The HTTP layer (rate limits,
 * `Date`, `Retry-After`, the request log) stays on the wall clock.
 */

/**
 * Default start: after every generated timestamp (data ends at REF_MS = 2026-01-01; a lead's
 * `updatedAt` reaches 30 days past it), so an update always moves a timestamp forward, and
 * independent of the date the tests run on.
 */
export const DEFAULT_CLOCK_START_MS = Date.UTC(2026, 2, 1);

export class Clock {
  private offset: number;

  constructor(startMs: number = DEFAULT_CLOCK_START_MS) {
    this.offset = startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves the clock forward by `ms` (never backward). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward (ms ≥ 0)');
    this.offset += ms;
  }
}
