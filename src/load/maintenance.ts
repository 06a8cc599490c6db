/**
 * Housekeeping Postgres' autovacuum does for us but embedded PGlite (single process, no
 * background workers) never does: reclaim walk_seen's churn (every walk inserts then deletes its
 * seen-marks) and refresh planner statistics so joins stay linear as tables grow. Run after a
 * sync run (finishRun does it); a no-op on Postgres.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';

export async function maintain(database: Database): Promise<void> {
  if (database.kind !== 'pglite') return;
  const schema = sql.identifier(database.schema);
  try {
    await database.db.execute(sql`vacuum (analyze) ${schema}.walk_seen`);
    await database.db.execute(sql`analyze`);
  } catch (err) {
    // Housekeeping must never turn a finished run into a failed one.
    database.logger.warn({ err }, 'embedded database housekeeping failed');
  }
}
