/**
 * What a status reader needs of a warehouse: its tables and a way to run a statement. A Database
 * is one; so is `readerOnPool`, for the dashboard, which keeps its own short-timeout pool (it
 * must start, and answer /healthz, while Postgres is down) instead of openDatabase's.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { type Database, type DrizzleDb, rows } from './database.ts';
import { buildTables } from './schema.ts';

export type DatabaseReader = Pick<Database, 'query' | 'tables'>;

export function readerOnPool(pool: pg.Pool, schema: string): DatabaseReader {
  const db = drizzle(pool) as unknown as DrizzleDb;
  return { tables: buildTables(schema), query: (statement) => rows(db, statement) };
}
