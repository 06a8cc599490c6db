/**
 * Backfill windows: calendar months (UTC) from `from` to `to`, each `[since, until)`. Month
 * boundaries make the windows — and so their job ids and sync_state keys — the same whenever a
 * backfill is re-run, which is what lets an interrupted backfill resume instead of restarting.
 */

import { ConfigError } from '../../config/config-error.ts';
import type { BackfillWindow } from '../plan/units.ts';

export function monthlyWindows(from: Date, to: Date): BackfillWindow[] {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new ConfigError('backfill dates must be YYYY-MM-DD');
  if (from.getTime() >= to.getTime()) throw new ConfigError('backfill --from must be before --to');
  const windows: BackfillWindow[] = [];
  let start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (start.getTime() < to.getTime()) {
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    windows.push({ since: start.toISOString(), until: end.toISOString() });
    start = end;
  }
  return windows;
}

const DAY_MS = 86_400_000;

/**
 * One window per UTC day from `from`'s day to `to` (exclusive), never past today: the days a
 * snapshot stream's backfill walks (the endpoint answers one `date` at a time).
 */
export function dailyWindows(from: Date, to: Date, now = new Date()): BackfillWindow[] {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new ConfigError('backfill dates must be YYYY-MM-DD');
  const midnight = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const end = Math.min(to.getTime(), midnight(now) + DAY_MS);
  const windows: BackfillWindow[] = [];
  for (let day = midnight(from); day < end; day += DAY_MS)
    windows.push({ since: new Date(day).toISOString(), until: new Date(day + DAY_MS).toISOString() });
  return windows;
}

/** `2025-01-01` (or a full ISO timestamp) → Date; anything else is a ConfigError naming the flag. */
export function parseDateFlag(flag: string, value: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()))
    throw new ConfigError(`${flag} must be a date like 2025-01-01, got ${JSON.stringify(value)}`);
  return date;
}
