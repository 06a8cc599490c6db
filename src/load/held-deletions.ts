/**
 * The home of held_deletions: the deletions the mass-delete guard holds, one row per
 * (stream, partition). Written only inside a page commit (the sweep of a walk's last page), so a
 * hold lands or vanishes together with that page's rows and checkpoint.
 */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from './database.ts';
import { rowsOnceMigrated } from './once-migrated.ts';
import type { DatabaseReader } from './reader.ts';
import type { Tables } from './schema.ts';
import { iso } from './timestamps.ts';

export interface HeldDeletion {
  stream: string;
  partition: string;
  held: number;
  live: number;
  firstHeldAt: string;
  firstHeldRunId: string;
  lastRunId: string;
}

export async function readHeldKeys(
  tx: Executor,
  tables: Tables,
  stream: string,
  partition: string,
): Promise<string[]> {
  const [row] = await rows<{ pks: string[] }>(
    tx,
    sql`select pks from ${tables.held_deletions} where stream = ${stream} and partition = ${partition}`,
  );
  return row?.pks ?? [];
}

/**
 * Replaces the partition's hold with `pks` (none: removes it). `first_held_*` stay while the
 * partition has had a hold without a break; `last_run_id` is the run whose walk held these keys.
 */
export async function writeHold(
  tx: Executor,
  tables: Tables,
  hold: { stream: string; partition: string; pks: readonly string[]; live: number; runId: string },
): Promise<void> {
  const t = tables.held_deletions;
  if (hold.pks.length === 0) {
    await tx.execute(sql`delete from ${t} where stream = ${hold.stream} and partition = ${hold.partition}`);
    return;
  }
  await tx.execute(sql`
    insert into ${t} as h (stream, partition, pks, held, live, first_held_at, first_held_run_id, last_run_id, updated_at)
    values (${hold.stream}, ${hold.partition}, ${sql.param([...hold.pks])}::text[], ${hold.pks.length}, ${hold.live},
      now(), ${hold.runId}, ${hold.runId}, now())
    on conflict (stream, partition) do update set pks = excluded.pks, held = excluded.held, live = excluded.live,
      last_run_id = excluded.last_run_id, updated_at = now()`);
}

/** Every hold, newest first: for `status`, logs and tests. */
export async function listHeldDeletions(database: DatabaseReader): Promise<HeldDeletion[]> {
  const t = database.tables.held_deletions;
  return database.query<HeldDeletion>(sql`
    select stream, partition, held, live,
      ${iso(sql`first_held_at`)} as "firstHeldAt",
      first_held_run_id as "firstHeldRunId", last_run_id as "lastRunId"
    from ${t} order by updated_at desc, stream, partition`);
}

/** Rows held per stream, for the dashboard; none before the table exists (a newer dashboard). */
export async function readHeldByStream(reader: DatabaseReader): Promise<Record<string, number>> {
  const found = await rowsOnceMigrated<{ stream: string; n: number }>(
    reader,
    sql`select stream, sum(held)::float8 as n from ${reader.tables.held_deletions} group by stream`,
  );
  return Object.fromEntries(found.map((r) => [r.stream, r.n]));
}
