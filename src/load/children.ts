/**
 * Child tables (StreamDef.children): a nested array of each record — list_rows' `cells` — written
 * as rows of their own table in the page's transaction, keyed by the parent's key plus the
 * element's own. What the page says is the truth for the parents it carries: elements a parent no
 * longer has get `_deleted_at` (a parent without the field at all says nothing, and keeps its
 * children as they are), and the children of parents the sweep soft-deleted follow them.
 * Elements that cannot be stored go to rejected_records under the stream, like its own records.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ChildRows, StreamDef } from '../extract/streams.ts';
import { columnRef, streamTable } from './columns.ts';
import type { Executor } from './database.ts';
import type { PrivacyPolicy } from './privacy.ts';
import { mapRecord, planTable, type TablePlan } from './row-mapper.ts';
import type { Tables } from './schema.ts';
import { type UpsertRow, upsertRows } from './upsert.ts';

/** A parent row of the page as written: its column values (in plan order) and its record. */
export interface ParentRow {
  values: readonly (string | null)[];
  record: Record<string, unknown>;
}

export interface ChildWrite {
  tx: Executor;
  tables: Tables;
  stream: StreamDef;
  parentPlan: TablePlan;
  parents: readonly ParentRow[];
  runId: string;
  privacy?: PrivacyPolicy;
}

/** Writes every child table of the page's parents; returns the elements that could not be stored. */
export async function writeChildren(w: ChildWrite): Promise<{ reason: string; raw: string }[]> {
  const rejected: { reason: string; raw: string }[] = [];
  for (const child of w.stream.children ?? []) {
    const table = w.tables.children[child.table];
    const plan = childPlan(w.tables, child);
    const mapped = childRowsOf(w, child, plan);
    rejected.push(...mapped.rejected);
    await upsertRows(w.tx, plan, [...mapped.rows.values()], w.runId);
    await retireMissing(w.tx, table, child, mapped.stated, [...mapped.rows.keys()], w.runId);
  }
  return rejected;
}

export function childPlan(tables: Tables, child: ChildRows): TablePlan {
  return planTable(tables.children[child.table], { name: child.table, primaryKey: child.primaryKey });
}

/**
 * The rows of one child table the parents carry, by key (a key seen twice: the later wins); the
 * parents' keys that stated their children (a parent without the field states nothing); the
 * elements that cannot be stored.
 */
export function childRowsOf(
  w: Pick<ChildWrite, 'stream' | 'parentPlan' | 'parents' | 'privacy'>,
  child: ChildRows,
  plan: TablePlan,
): { rows: Map<string, UpsertRow>; stated: string[][]; rejected: { reason: string; raw: string }[] } {
  const rows = new Map<string, UpsertRow>();
  const stated: string[][] = Object.keys(child.fromParent).map(() => []);
  const rejected: { reason: string; raw: string }[] = [];
  for (const parent of w.parents) {
    const record = w.privacy ? w.privacy.apply(w.stream.name, parent.record) : parent.record;
    const items = record[child.field];
    if (!Array.isArray(items)) continue;
    const fixed = parentKey(w.parentPlan, parent, child);
    for (const [i, v] of Object.values(fixed).entries()) stated[i]!.push(v ?? '');
    for (const item of items) {
      const element =
        item !== null && typeof item === 'object' && !Array.isArray(item) ? item : { value: item };
      const mapped = mapRecord(plan, element as Record<string, unknown>, '', w.privacy, undefined, fixed);
      if (!mapped.ok) {
        rejected.push({ reason: `${child.table}: ${mapped.reason}`, raw: mapped.raw });
        continue;
      }
      rows.delete(mapped.pk);
      rows.set(mapped.pk, {
        values: mapped.values,
        raw: mapped.raw,
        changes: JSON.stringify(mapped.changes),
      });
    }
  }
  return { rows, stated, rejected };
}

/** After a sweep: the children of the partition's soft-deleted parents are soft-deleted too. */
export async function cascadeDeletes(
  tx: Executor,
  tables: Tables,
  stream: StreamDef,
  partitionValue: string,
  runId: string,
): Promise<void> {
  const parent = streamTable(tables, stream.name);
  for (const child of stream.children ?? []) {
    const table = tables.children[child.table];
    const joins = Object.entries(child.fromParent).map(
      ([c, p]) => sql`${columnRef('p', parent, p)} = ${columnRef('t', table, c)}`,
    );
    const partitionColumn = Object.entries(child.fromParent).find(
      ([, p]) => p === stream.parent?.column,
    )?.[0];
    const inPartition = partitionColumn
      ? sql` and ${columnRef('t', table, partitionColumn)} = ${partitionValue}`
      : sql``;
    await softDelete(
      tx,
      table,
      sql`exists (select 1 from ${parent} as p where p._deleted_at is not null and ${sql.join(joins, sql` and `)})${inPartition}`,
      runId,
    );
  }
}

function parentKey(plan: TablePlan, parent: ParentRow, child: ChildRows): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [column, from] of Object.entries(child.fromParent)) {
    const i = plan.columns.findIndex((c) => c.name === from);
    if (i < 0) throw new Error(`${child.table}: parent column ${from} is not in the parent table`);
    out[column] = parent.values[i] ?? null;
  }
  return out;
}

/** Live children of the parents the page stated that the page no longer carries. */
async function retireMissing(
  tx: Executor,
  table: PgTable,
  child: ChildRows,
  stated: readonly string[][],
  kept: readonly string[],
  runId: string,
): Promise<void> {
  if (!stated[0] || stated[0].length === 0) return;
  const parentCols = Object.keys(child.fromParent).map((c) => sql`${columnRef('t', table, c)}::text`);
  const arrays = stated.map((values) => sql`${sql.param(values)}::text[]`);
  const pkParts = child.primaryKey.map((k) => sql`${columnRef('t', table, k)}::text`);
  const pk = pkParts.length === 1 ? pkParts[0]! : sql`concat_ws(chr(31), ${sql.join(pkParts, sql`, `)})`;
  // The kept keys are an anti-join, not `pk <> all(array)`: that filter compared every live child
  // of the table with every kept key (seconds per page once a list held 100k cells).
  await softDelete(
    tx,
    table,
    sql`(${sql.join(parentCols, sql`, `)}) in (select * from unnest(${sql.join(arrays, sql`, `)}))
      and not exists (select 1 from unnest(${sql.param([...kept])}::text[]) as k(key) where k.key = ${pk})`,
    runId,
  );
}

function softDelete(tx: Executor, table: PgTable, where: SQL, runId: string): Promise<unknown> {
  return tx.execute(sql`update ${table} as t set _deleted_at = now(), _synced_at = now(), _run_id = ${runId}
    where t._deleted_at is null and ${where}`);
}
