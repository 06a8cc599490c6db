/**
 * Puffle's `signal-entity-cleanup` job runs daily at 07:30 UTC and deletes signal rows older than
 * one year (docs/puffle-api.md). `signalCutoff(now)`: signals created before it
 * are gone at `now` — one year before the most recent run.
 */

const RUN_HOUR_UTC = 7;
const RUN_MINUTE_UTC = 30;
const DAY = 86_400_000;

export function signalCutoff(nowMs: number): number {
  const now = new Date(nowMs);
  let run = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RUN_HOUR_UTC, RUN_MINUTE_UTC);
  if (run > nowMs) run -= DAY;
  const cutoff = new Date(run);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 1);
  return cutoff.getTime();
}
