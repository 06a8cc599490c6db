/**
 * The run counters a commit adds to sync_runs: the stream's row and the run's '*' row move together,
 * as CTEs (`name as (…)`) so they can ride in the commit's upsert statement. A value may be an SQL
 * scalar (the upsert's own counts). Request counters are added once per stream, when it finishes
 * (finishStreamRun), not per commit.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { StreamDef } from '../extract/streams.ts';
import type { PageCounts } from './commit-page.ts';
import type { Tables } from './schema.ts';

export function runCounterCtes(
  tables: Tables,
  commit: { runId: string; stream: StreamDef; pages?: number },
  c: Record<keyof PageCounts, number | SQL>,
): SQL[] {
  const t = tables.sync_runs;
  const pages = commit.pages ?? 1;
  const v = (x: number | SQL) => (typeof x === 'number' ? sql`${x}::int` : x);
  return [
    sql`run_row as (select trigger from ${t} where run_id = ${commit.runId} and stream = '*')`,
    sql`run_star as (
      update ${t} set pages = pages + ${pages}::int, records_read = records_read + ${v(c.read)},
        inserted = inserted + ${v(c.inserted)}, updated = updated + ${v(c.updated)},
        unchanged = unchanged + ${v(c.unchanged)}, deleted = deleted + ${v(c.deleted)},
        held_deletions = held_deletions + ${v(c.held)}, rejected = rejected + ${v(c.rejected)},
        values_dropped = values_dropped + ${v(c.dropped)}
      where run_id = ${commit.runId} and stream = '*'
    )`,
    sql`run_stream as (
      insert into ${t} as r (run_id, stream, trigger, status, started_at, pages, records_read, inserted, updated,
        unchanged, deleted, held_deletions, rejected, values_dropped)
      values (${commit.runId}, ${commit.stream.name}, coalesce((select trigger from run_row), 'manual'), 'running',
        now(), ${pages}::int, ${v(c.read)}, ${v(c.inserted)}, ${v(c.updated)}, ${v(c.unchanged)}, ${v(c.deleted)},
        ${v(c.held)}, ${v(c.rejected)}, ${v(c.dropped)})
      on conflict (run_id, stream) do update set
        pages = r.pages + excluded.pages, records_read = r.records_read + excluded.records_read,
        inserted = r.inserted + excluded.inserted, updated = r.updated + excluded.updated,
        unchanged = r.unchanged + excluded.unchanged, deleted = r.deleted + excluded.deleted,
        held_deletions = r.held_deletions + excluded.held_deletions, rejected = r.rejected + excluded.rejected,
        values_dropped = r.values_dropped + excluded.values_dropped
    )`,
  ];
}
