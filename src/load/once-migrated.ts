/**
 * Reads a newer reader (the dashboard) makes of a warehouse that may not be migrated to its
 * version yet (workers not restarted): a missing table or column gives no rows rather than an
 * error, so a scrape still answers with what the warehouse has.
 */
import type { SQL } from 'drizzle-orm';
import type { DatabaseReader } from './reader.ts';
import { sqlStateOf } from './sql-state.ts';

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_COLUMN = '42703';

export function isUndefinedTable(err: unknown): boolean {
  return sqlStateOf(err) === UNDEFINED_TABLE;
}

export async function rowsOnceMigrated<T>(reader: DatabaseReader, statement: SQL): Promise<T[]> {
  try {
    return await reader.query<T>(statement);
  } catch (err) {
    const code = sqlStateOf(err);
    if (code === UNDEFINED_COLUMN || code === UNDEFINED_TABLE) return [];
    throw err;
  }
}
