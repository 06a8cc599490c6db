/**
 * The sweep of a completed `full+deletes` walk: soft-delete the partition's live rows the walk did
 * not see, unless the mass-delete guard holds them (mass-delete-guard.ts). Runs inside the last
 * page's transaction, so deletions, the hold and the checkpoint land together or not at all.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { StreamDef } from '../extract/streams.ts';
import { streamTable } from './columns.ts';
import { type Executor, rows } from './database.ts';
import { readHeldKeys, writeHold } from './held-deletions.ts';
import { type DeleteGuard, planSweep } from './mass-delete-guard.ts';
import type { Tables } from './schema.ts';
import { clearSeen, partitionFilter, pkText } from './walks.ts';

export interface SweepInput {
  stream: StreamDef;
  /** sync_state key of the walk. */
  partition: string;
  /** Value of the partition column. */
  partitionValue: string;
  walkId: string;
  runId: string;
  guard: DeleteGuard;
}

export interface SweepResult {
  deleted: number;
  /** Keys now held (0: no hold remains for the partition). */
  held: number;
  /** Live rows of the partition when the walk completed. */
  live: number;
  confirmed: number;
  released: number;
}

export async function sweep(tx: Executor, tables: Tables, input: SweepInput): Promise<SweepResult> {
  const { stream, partition } = input;
  const table = streamTable(tables, stream.name);
  const inPartition = partitionFilter(stream, input.partitionValue);
  const pk = pkText(stream);
  const seen = sql`exists (select 1 from ${tables.walk_seen} s where s.stream = ${stream.name}
    and s.partition = ${partition} and s.walk_id = ${input.walkId} and s.pk = ${pk})`;
  // An anti-join over the partition and its seen-marks: hash it. Without statistics (PGlite has no
  // autovacuum; fresh tables) the planner picks a nested loop that is quadratic in the partition.
  await tx.execute(sql`set local enable_nestloop = off`);
  // Two scalar subqueries: a NOT EXISTS in a WHERE becomes that hashed anti-join; in an
  // aggregate's FILTER it would be probed row by row.
  const [found] = await rows<{ live: number | string; gone: string[] | null }>(
    tx,
    sql`select (select count(*) from ${table} as t where t._deleted_at is null${inPartition}) as live,
        (select array_agg(${pk}) from ${table} as t where t._deleted_at is null${inPartition} and not ${seen}) as gone`,
  );
  const gone = found?.gone ?? [];
  const live = Number(found?.live ?? 0);
  const held = await readHeldKeys(tx, tables, stream.name, partition);
  const plan = planSweep(gone, held, live, input.guard);
  const deleted =
    plan.apply.length === 0
      ? 0
      : await softDelete(
          tx,
          sql`${table} as t`,
          sql`t._deleted_at is null${inPartition} and not ${seen}${plan.apply.length < gone.length ? sql` and ${pk} in (select unnest(${sql.param(plan.apply)}::text[]))` : sql``}`,
          input.runId,
        );
  if (held.length > 0 || plan.hold.length > 0)
    await writeHold(tx, tables, {
      stream: stream.name,
      partition,
      pks: plan.hold,
      live,
      runId: input.runId,
    });
  await clearSeen(tx, tables, stream.name, partition);
  return { deleted, held: plan.hold.length, live, confirmed: plan.confirmed, released: plan.released };
}

async function softDelete(tx: Executor, target: SQL, where: SQL, runId: string): Promise<number> {
  const [gone] = await rows<{ n: number | string }>(
    tx,
    sql`with gone as (
          update ${target} set _deleted_at = now(), _synced_at = now(), _run_id = ${runId}
          where ${where} returning 1)
        select count(*) as n from gone`,
  );
  return Number(gone?.n ?? 0);
}
