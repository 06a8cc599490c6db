/**
 * The row upsert: `INSERT … SELECT … FROM unnest($1::text[], …, $n::text[])` binds one array
 * parameter per column, so no statement nears Postgres' 65,535-parameter ceiling whatever the
 * column or row count; rows are chunked only to bound memory. A row is rewritten only when its
 * `raw` or `_changes` changed and, where the table has `updated_at`, never by an older version; `_synced_at` /
 * `_run_id` therefore move only when the row does. An equal `updated_at` with a changed body is
 * a rewrite, not an older version: Puffle changes some fields (counters, statuses) without moving
 * `updated_at`, so on a tie the body read last wins (`>=` below). A soft-deleted row that comes
 * back is revived (`_deleted_at = null`) by the page that carries it. Rows whose stored `raw` is identical are
 * filtered out before the INSERT: `ON CONFLICT DO UPDATE … WHERE false` would still lock (write)
 * every conflicting row, which made an unchanged 100k-row re-sync slower than the first load.
 * That filter is a scalar subquery, one primary-key probe per row, not `not exists`: the planner
 * turned that into a hash anti-join that read and hashed (jsonb `raw` included) every live row of
 * the table for every page, so a stream's load grew with the square of its rows.
 * RETURNING `xmax = 0` tells inserts from updates.
 * Identifiers come from the schema, values are parameters. On Postgres, pages of copyStage.minRows
 * rows or more reach the same statement through a COPY-filled staging table (copy-stage.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import { copyStage, pgClientOf, STAGE_COLUMNS, stageRows } from './copy-stage.ts';
import { type Executor, rows } from './database.ts';
import type { TablePlan } from './row-mapper.ts';

/**
 * Rows per unnest statement. On PGlite every statement's parameters are serialised in the sync's
 * own heap and parsed in its WASM heap, whose pages stay resident once touched: 4 pages of 5,000
 * rows in one transaction peaked at 480 MB RSS with 5,000 rows a statement, 382 MB with 1,000
 * (bench/README.md, figure 6). On Postgres this path only takes pages under copyStage.minRows.
 */
export const UPSERT_CHUNK_ROWS = 1_000;

export interface UpsertRow {
  values: (string | null)[];
  raw: string;
  /** The row's `_changes` as JSON text (value-changes.ts). */
  changes: string;
}

/**
 * Statements to run in the upsert's own statement, as CTEs (`name as (…)`), given the rows it
 * inserted and updated as SQL scalars: the commit's checkpoint and counters ride along instead of
 * paying a round trip each.
 */
export type FoldedWrites = (written: { inserted: SQL; updated: SQL }) => SQL[];

export async function upsertRows(
  tx: Executor,
  plan: TablePlan,
  input: readonly UpsertRow[],
  runId: string,
  opts: { chunkRows?: number; fold?: FoldedWrites } = {},
): Promise<{ inserted: number; updated: number; folded: boolean }> {
  const chunkRows = opts.chunkRows ?? UPSERT_CHUNK_ROWS;
  const client = stagesByCopy(plan, input.length) ? pgClientOf(tx) : undefined;
  // Folded only into a single statement: the counts it adds must be the whole commit's.
  const fold = client || input.length <= chunkRows ? opts.fold : undefined;
  const run = async (source: { cte?: SQL; from: SQL }) => {
    const [r] = await rows<{ inserted: number | string; updated: number | string }>(
      tx,
      upsertStatement(plan, source, runId, fold),
    );
    return { inserted: Number(r?.inserted ?? 0), updated: Number(r?.updated ?? 0) };
  };
  if (client) return { ...(await run(await stageRows(tx, client, plan, input))), folded: !!fold };
  if (input.length === 0 && fold) return { ...(await run({ from: unnestSource(plan, []) })), folded: true };
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < input.length; start += chunkRows) {
    const r = await run({ from: unnestSource(plan, input.slice(start, start + chunkRows)) });
    inserted += r.inserted;
    updated += r.updated;
  }
  return { inserted, updated, folded: !!fold };
}

/** Whether rows this many go through the COPY staging table (on Postgres, in a transaction). */
function stagesByCopy(plan: TablePlan, rows: number): boolean {
  return rows >= copyStage.minRows && plan.columns.length <= STAGE_COLUMNS;
}

/**
 * Whether upsertRows writes this many rows in one unnest statement on either database: atomic on
 * its own, so it needs no transaction around it (a COPY staging does). PGlite never stages, but
 * takes the same rule, so both databases commit a page the same way.
 */
export function upsertsInOneStatement(plan: TablePlan, rows: number): boolean {
  return rows <= UPSERT_CHUNK_ROWS && !stagesByCopy(plan, rows);
}

/** The rows as a derived table of text columns named like the table's, plus `raw_json` and `changes_json`. */
function unnestSource(plan: TablePlan, chunk: readonly UpsertRow[]): SQL {
  const id = (name: string) => sql.identifier(name);
  const arrays = plan.columns.map((_, i) => chunk.map((r) => r.values[i] ?? null));
  const unnestArgs = sql.join(
    [...arrays, chunk.map((r) => r.raw), chunk.map((r) => r.changes)].map(
      (a) => sql`${sql.param(a)}::text[]`,
    ),
    sql`, `,
  );
  const aliases = sql.join([...plan.columns.map((c) => c.name), 'raw', 'changes'].map(id), sql`, `);
  return sql`(select u.*, u.raw::jsonb as raw_json, u.changes::jsonb as changes_json
    from unnest(${unnestArgs}) as u(${aliases}))`;
}

function upsertStatement(
  plan: TablePlan,
  source: { cte?: SQL; from: SQL },
  runId: string,
  fold?: FoldedWrites,
): SQL {
  const id = (name: string) => sql.identifier(name);
  const names = plan.columns.map((c) => c.name);
  const cast = (name: string, sqlType: string) => sql`v.${id(name)}::${sql.raw(sqlType)}`;
  const casts = sql.join(
    plan.columns.map((c) => cast(c.name, c.sqlType)),
    sql`, `,
  );
  const samePk = sql.join(
    plan.columns
      .filter((c) => plan.primaryKey.includes(c.name))
      .map((c) => sql`cur.${id(c.name)} = ${cast(c.name, c.sqlType)}`),
    sql` and `,
  );
  const targetCols = sql.join(
    [...names, 'raw', '_synced_at', '_run_id', '_deleted_at', '_changes'].map(id),
    sql`, `,
  );
  const pk = sql.join(plan.primaryKey.map(id), sql`, `);
  const updates = sql.join(
    [...names.filter((n) => !plan.primaryKey.includes(n)), 'raw', '_synced_at', '_run_id', '_changes'].map(
      (n) => sql`${id(n)} = excluded.${id(n)}`,
    ),
    sql`, `,
  );
  const ctes = fold?.({
    inserted: sql`(select inserted from counts)`,
    updated: sql`(select updated from counts)`,
  });
  const folded = ctes?.length ? sql`, ${sql.join(ctes, sql`, `)}` : sql``;
  const newerOnly = plan.hasUpdatedAt
    ? sql` and (t.updated_at is null or excluded.updated_at is null or excluded.updated_at >= t.updated_at)`
    : sql``;
  return sql`
    with ${source.cte ?? sql``}written as (
      insert into ${plan.table} as t (${targetCols})
      select ${casts}, v.raw_json, now(), ${runId}, null, v.changes_json
      from ${source.from} as v
      where (select true from ${plan.table} as cur where ${samePk} and cur.raw = v.raw_json
        and cur._changes = v.changes_json and cur._deleted_at is null limit 1) is null
      on conflict (${pk}) do update set ${updates}, _deleted_at = null
      where ((t.raw is distinct from excluded.raw or t._changes is distinct from excluded._changes)${newerOnly})
        or t._deleted_at is not null
      returning (xmax = 0) as is_insert
    ),
    counts as (
      select (count(*) filter (where is_insert))::int as inserted, (count(*) filter (where not is_insert))::int as updated
      from written
    )${folded}
    select inserted, updated from counts`;
}
