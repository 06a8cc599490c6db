/** Column builders every domain file of the schema shares. */
import { index, integer, jsonb, type PgColumn, text, timestamp } from 'drizzle-orm/pg-core';

export const ts = () => timestamp({ withTimezone: true, mode: 'string' });
export const counter = () => integer().notNull().default(0);

/** Lineage columns every stream table ends with. */
export const lineage = () => ({
  raw: jsonb().notNull(),
  _synced_at: ts().notNull(),
  _run_id: text(),
  _deleted_at: ts(),
  /** Values dropped or repaired on the way in: `[{field, reason, original}]`, `[]` when none (value-changes.ts). */
  _changes: jsonb().notNull().default([]),
});

export const LINEAGE_COLUMNS = ['raw', '_synced_at', '_run_id', '_deleted_at', '_changes'] as const;

export const idx = (table: string, column: PgColumn) => index(`${table}_${column.name}_idx`).on(column);
