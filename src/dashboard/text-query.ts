/**
 * What /metrics and /healthz run their SQL text through: a node-postgres pool, or the embedded
 * database opened by the dashboard (`textQueryOf`).
 */
import { sql } from 'drizzle-orm';
import type { QueryResultRow } from 'pg';
import type { Database } from '../load/index.ts';

export interface TextQuery {
  // biome-ignore lint/suspicious/noExplicitAny: untyped rows, as node-postgres' own default
  query<T extends QueryResultRow = any>(text: string): Promise<{ rows: T[] }>;
}

export function textQueryOf(database: Database): TextQuery {
  return { query: async <T>(text: string) => ({ rows: await database.query<T>(sql.raw(text)) }) };
}
