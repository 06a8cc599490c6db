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
  const live = sql`t._deleted_at is null${inPartition}`;
  const gone = (
    await rows<{ pk: string }>(tx, sql`select ${pk} as pk from ${table} as t where ${live} and not ${seen}`)
  ).map((r) => r.pk);
  const held = await readHeldKeys(tx, tables, stream.name, partition);
  const liveRows = await countUpTo(tx, sql`${table} as t`, live, liveBound(gone.length, input.guard));
  const plan = planSweep(gone, held, liveRows, input.guard);
  const deleted = await softDelete(
    tx,
    sql`${table} as t`,
    deletable(live, seen, pk, plan.apply, gone),
    input.runId,
  );
  if (held.length > 0 || plan.hold.length > 0)
    await writeHold(tx, tables, {
      stream: stream.name,
      partition,
      pks: plan.hold,
      live: liveRows,
      runId: input.runId,
    });
  await clearSeen(tx, tables, stream.name, partition);
  return {
    deleted,
    held: plan.hold.length,
    live: liveRows,
    confirmed: plan.confirmed,
    released: plan.released,
  };
}

/**
 * How many live rows the guard must count to judge `gone` deletions: beyond this many, no subset
 * of them can be a mass deletion, so a partition of 100 000 rows losing 5 is not counted in full.
 */
function liveBound(gone: number, guard: DeleteGuard): number {
  if (gone === 0 || guard.accept) return 0;
  return Math.max(Math.floor((gone * 100) / guard.percent), gone) + 1;
}

async function countUpTo(tx: Executor, target: SQL, where: SQL, bound: number): Promise<number> {
  if (bound === 0) return 0;
  const [row] = await rows<{ n: number | string }>(
    tx,
    sql`select count(*) as n from (select 1 from ${target} where ${where} limit ${bound}) as live`,
  );
  return Number(row?.n ?? 0);
}

/** Few keys: by key (the primary-key index); many: the anti-join, narrowed to `apply` when a part is held. */
function deletable(
  live: SQL,
  seen: SQL,
  pk: SQL,
  apply: readonly string[],
  gone: readonly string[],
): SQL | undefined {
  if (apply.length === 0) return undefined;
  if (apply.length <= BY_KEY) return sql`${live} and ${pk} = any(${sql.param([...apply])}::text[])`;
  if (apply.length === gone.length) return sql`${live} and not ${seen}`;
  return sql`${live} and not ${seen} and ${pk} in (select unnest(${sql.param([...apply])}::text[]))`;
}

const BY_KEY = 1000;

async function softDelete(tx: Executor, target: SQL, where: SQL | undefined, runId: string): Promise<number> {
  if (!where) return 0;
  const [gone] = await rows<{ n: number | string }>(
    tx,
    sql`with gone as (
          update ${target} set _deleted_at = now(), _synced_at = now(), _run_id = ${runId}
          where ${where} returning 1)
        select count(*) as n from gone`,
  );
  return Number(gone?.n ?? 0);
}
