/** Column identifiers for SQL built by hand: only names the schema declares, never API data. */
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tables } from './schema.ts';

export function schemaColumn(table: PgTable, name: string): PgColumn {
  const column = Object.values(getTableColumns(table) as Record<string, PgColumn>).find(
    (c) => c.name === name,
  );
  if (!column) throw new Error(`column "${name}" is not in the schema`);
  return column;
}

/** `alias."name"` after checking the schema declares the column. */
export function columnRef(alias: string, table: PgTable, name: string): SQL {
  return sql`${sql.identifier(alias)}.${sql.identifier(schemaColumn(table, name).name)}`;
}

/** The table of a stream; a name outside the catalog (e.g. from a hand-made job) fails clearly. */
export function streamTable(tables: Tables, stream: string): PgTable {
  const table = (tables.streams as Record<string, PgTable | undefined>)[stream];
  if (!table) throw new Error(`unknown stream "${stream}": no table for it in src/load/schema.ts`);
  return table;
}
