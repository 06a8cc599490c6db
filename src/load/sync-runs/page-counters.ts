/**
 * The counters a commit group adds to sync_runs, inside the commit's own transaction (so a group's
 * rows and its counts land or vanish together). The stream's row is opened here when the page is
 * the first to arrive; its trigger is the run's.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../database.ts';
import type { Tables } from '../schema.ts';
import { RUN_ROW } from './run-row.ts';

type Counters = Record<
  'read' | 'inserted' | 'updated' | 'unchanged' | 'deleted' | 'held' | 'rejected' | 'dropped',
  number
>;

/**
 * The counters as CTEs (`name as (…)`) so they can ride in the commit's upsert statement; a value
 * may be an SQL scalar (the upsert's own counts). The stream's row and the run's row move together.
 * Request counters are added once per stream, when it finishes (finishStreamRun), not per commit.
 */
export function runCounterCtes(
  tables: Tables,
  commit: { runId: string; stream: { name: string }; pages?: number },
  c: Record<keyof Counters, number | SQL>,
): SQL[] {
  const t = tables.sync_runs;
  const pages = commit.pages ?? 1;
  const v = (x: number | SQL) => (typeof x === 'number' ? sql`${x}::int` : x);
  return [
    sql`run_row as (select trigger from ${t} where run_id = ${commit.runId} and stream = ${RUN_ROW})`,
    sql`run_star as (
      update ${t} set pages = pages + ${pages}::int, records_read = records_read + ${v(c.read)},
        inserted = inserted + ${v(c.inserted)}, updated = updated + ${v(c.updated)},
        unchanged = unchanged + ${v(c.unchanged)}, deleted = deleted + ${v(c.deleted)},
        held_deletions = held_deletions + ${v(c.held)}, rejected = rejected + ${v(c.rejected)},
        values_dropped = values_dropped + ${v(c.dropped)}
      where run_id = ${commit.runId} and stream = ${RUN_ROW}
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

/** One rejected partition (rejected-partition.ts), counted on the stream's row and the run's. */
export async function countRejectedPartition(
  tx: Executor,
  tables: Tables,
  runId: string,
  stream: string,
): Promise<void> {
  const t = tables.sync_runs;
  await tx.execute(sql`
    insert into ${t} as r (run_id, stream, trigger, status, started_at, rejected)
    values (${runId}, ${stream},
      coalesce((select trigger from ${t} where run_id = ${runId} and stream = ${RUN_ROW}), 'manual'),
      'running', now(), 1)
    on conflict (run_id, stream) do update set rejected = r.rejected + 1`);
  await tx.execute(
    sql`update ${t} set rejected = rejected + 1 where run_id = ${runId} and stream = ${RUN_ROW}`,
  );
}
