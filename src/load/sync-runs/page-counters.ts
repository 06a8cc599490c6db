/**
 * The counters a page commit adds to sync_runs, inside the commit's own transaction (so a page's
 * rows and its counts land or vanish together). The stream's row is opened here when the page is
 * the first to arrive; its trigger is the run's.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../database.ts';
import type { Tables } from '../schema.ts';
import { RUN_ROW } from './run-row.ts';

type Counters = Record<
  'read' | 'inserted' | 'updated' | 'unchanged' | 'deleted' | 'held' | 'rejected' | 'dropped',
  number
>;

export async function addRunCounters(
  tx: Executor,
  tables: Tables,
  page: { runId: string; stream: { name: string } },
  c: Counters,
): Promise<void> {
  const t = tables.sync_runs;
  // One statement (one round trip): the stream's row and the run's row move together. Request
  // counters are added once per stream, when it finishes (finishStreamRun), not per page.
  await tx.execute(sql`
    with run as (select trigger from ${t} where run_id = ${page.runId} and stream = ${RUN_ROW}),
    star as (
      update ${t} set pages = pages + 1, records_read = records_read + ${c.read},
        inserted = inserted + ${c.inserted}, updated = updated + ${c.updated},
        unchanged = unchanged + ${c.unchanged}, deleted = deleted + ${c.deleted},
        held_deletions = held_deletions + ${c.held}, rejected = rejected + ${c.rejected},
        values_dropped = values_dropped + ${c.dropped}
      where run_id = ${page.runId} and stream = ${RUN_ROW}
    )
    insert into ${t} as r (run_id, stream, trigger, status, started_at, pages, records_read, inserted, updated,
      unchanged, deleted, held_deletions, rejected, values_dropped)
    values (${page.runId}, ${page.stream.name}, coalesce((select trigger from run), 'manual'), 'running', now(), 1,
      ${c.read}, ${c.inserted}, ${c.updated}, ${c.unchanged}, ${c.deleted}, ${c.held}, ${c.rejected}, ${c.dropped})
    on conflict (run_id, stream) do update set
      pages = r.pages + 1, records_read = r.records_read + excluded.records_read,
      inserted = r.inserted + excluded.inserted, updated = r.updated + excluded.updated,
      unchanged = r.unchanged + excluded.unchanged, deleted = r.deleted + excluded.deleted,
      held_deletions = r.held_deletions + excluded.held_deletions, rejected = r.rejected + excluded.rejected,
      values_dropped = r.values_dropped + excluded.values_dropped`);
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
