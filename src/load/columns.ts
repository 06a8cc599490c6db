/** Column identifiers for SQL built by hand: only names the schema declares, never API data. */
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

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
