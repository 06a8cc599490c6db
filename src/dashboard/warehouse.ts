/**
 * The warehouse as the dashboard reads it. Postgres: a small pool of its own with short timeouts,
 * opened lazily, so the dashboard starts and answers /healthz while Postgres is down. The
 * embedded database: opened once at start (it fails fast, in one line, when another process holds
 * the directory), or through `puffle-sync sql` when that serves it.
 */
import pg from 'pg';
import { type DatabaseReader, openDatabase, readerOnPool } from '../load/index.ts';
import type { Logger } from '../log.ts';
import { type TextQuery, textQueryOf } from './text-query.ts';

export interface DashboardWarehouse {
  /** For /metrics and /healthz (SQL text). */
  text: TextQuery;
  /** For the status report. */
  reader: DatabaseReader;
  close(): Promise<void>;
}

export async function openDashboardWarehouse(opts: {
  databaseUrl?: string;
  dataDir?: string;
  schema: string;
  backendTimeoutMs: number;
  logger: Logger;
}): Promise<DashboardWarehouse> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 2,
      application_name: 'puffle-sync-dashboard',
      connectionTimeoutMillis: opts.backendTimeoutMs,
      statement_timeout: opts.backendTimeoutMs * 5,
    });
    pool.on('error', (err) => opts.logger.warn({ err }, 'dashboard: postgres connection lost'));
    return { text: pool, reader: readerOnPool(pool, opts.schema), close: () => pool.end().catch(() => {}) };
  }
  if (!opts.dataDir) throw new Error('the dashboard needs databaseUrl or dataDir');
  const database = await openDatabase({ dataDir: opts.dataDir, schema: opts.schema, logger: opts.logger });
  return { text: textQueryOf(database), reader: database, close: () => database.close() };
}
