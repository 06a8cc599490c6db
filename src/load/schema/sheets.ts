/** The LEGACY list sheets: columns, rows, and the rows' cells (a child table, StreamDef.children). */
import { boolean, integer, jsonb, type PgSchema, primaryKey, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

export const sheetTables = (s: PgSchema) => ({
  list_columns: s.table(
    'list_columns',
    {
      list_id: text().notNull(),
      id: text().notNull(),
      name: text(),
      prompt: text(),
      response_type: text(),
      source: text(),
      subject: text(),
      is_filter: boolean(),
      position: integer(),
      schema: jsonb(),
      enrichment_type: text(),
      config: jsonb(),
      is_preview: boolean(),
      category: text(),
      built_in_key: text(),
      created_at: ts(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.list_id, t.id] })],
  ),
  list_rows: s.table(
    'list_rows',
    {
      list_id: text().notNull(),
      id: text().notNull(),
      linkedin_url: text(),
      profile_data: jsonb(),
      source: text(),
      added_at: ts(),
      company_row_id: text(),
      company_domain: text(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.list_id, t.id] })],
  ),
});

/** One value of one list column for one row: list_rows' `cells`, written with their row. */
export const sheetChildTables = (s: PgSchema) => ({
  list_cells: s.table(
    'list_cells',
    {
      list_id: text().notNull(),
      row_id: text().notNull(),
      column_id: text().notNull(),
      id: text(),
      value: jsonb(),
      status: text(),
      reasoning: text(),
      error: jsonb(),
      created_at: ts(),
      updated_at: ts(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.list_id, t.row_id, t.column_id] }), idx('list_cells', t.column_id)],
  ),
});
