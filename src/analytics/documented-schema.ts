/**
 * The warehouse as its readers see it: every table (streams, then bookkeeping) with its primary
 * key, summary, column meanings and joins. docs/schema.md, the `COMMENT ON` statements, the
 * analytics views and the dbt package all read it, so they cannot disagree.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, type PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { STREAMS } from '../extract/streams.ts';
import type { Tables } from '../load/schema.ts';
import { COMMON_COLUMNS, EXTRA_JOINS, TABLES } from './descriptions.ts';

export interface Join {
  /** `table.column`; `<every stream table>._run_id` for the lineage join. */
  from: string;
  to: string;
  note?: string;
  /** A catalog parent → child partition: every child row was read for one parent row. */
  parentChild: boolean;
}

/** Stream tables in catalog order, then every bookkeeping table in the order schema.ts declares them. */
export function documentedTables(tables: Tables): Record<string, PgTable> {
  const out: Record<string, PgTable> = { ...tables.streams };
  for (const [name, value] of Object.entries(tables))
    if (is(value, PgTable) && !(name in tables.streams)) out[name] = value;
  return out;
}

export function columnsOf(table: PgTable): PgColumn[] {
  return getTableConfig(table).columns;
}

export function primaryKeyOf(table: PgTable): string[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
  return composite ?? config.columns.filter((c) => c.primary).map((c) => c.name);
}

export function columnMeaning(table: string, column: string): string {
  return (
    TABLES[table]?.columns?.[column] ?? COMMON_COLUMNS[column] ?? `Field \`${column}\` of the API record.`
  );
}

export function tableSummary(table: string): string {
  return TABLES[table]?.summary ?? `Rows of the \`${table}\` stream.`;
}

/** Parent → child joins from the catalog, then the hand-listed ones; every named column must exist. */
export function documentedJoins(all: Record<string, PgTable>): Join[] {
  const joins: Join[] = [];
  for (const def of STREAMS) {
    if (!def.parent) continue;
    joins.push({
      from: `${def.name}.${def.parent.column}`,
      to: `${def.parent.stream}.${def.parent.field}`,
      note: `parent → child: one \`${def.parent.stream}\` row has many \`${def.name}\` rows`,
      parentChild: true,
    });
  }
  joins.push(...EXTRA_JOINS.map((j) => ({ ...j, parentChild: false })));
  for (const j of joins)
    for (const ref of [j.from, j.to]) {
      const [table, column] = ref.split('.') as [string, string];
      if (table.startsWith('<')) continue;
      const t = all[table];
      if (!t || !columnsOf(t).some((c) => c.name === column))
        throw new Error(`descriptions: join names ${ref}, which is not in src/load/schema.ts`);
    }
  return joins;
}

/** Markdown → plain text for places that show text as-is (COMMENT ON, dbt descriptions stay markdown). */
export function plainText(markdown: string): string {
  return markdown.replace(/`/g, '');
}
