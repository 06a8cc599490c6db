/**
 * The Postgres schema holding puffle-sync's own coordination rows (request budget, run flags)
 * when the queue runs on Postgres. It is not the warehouse schema: nothing in it is data, and
 * the rows are created on first use by whichever process comes first, under an advisory lock so
 * two processes starting together do not race on `create table if not exists`.
 */
import type pg from 'pg';

const DDL_LOCK = 'puffle-sync:coordination-ddl';

/** Runs `ddl` (idempotent statements) once per pool, serialised across processes. */
export function ensureCoordinationTables(pool: pg.Pool, schema: string, ddl: string): Promise<void> {
  const key = `${schema}\n${ddl}`;
  let done = ensured.get(pool)?.get(key);
  if (!done) {
    done = (async () => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [DDL_LOCK]);
        await client.query(`create schema if not exists ${quoteIdent(schema)}`);
        await client.query(ddl);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    })();
    const byKey = ensured.get(pool) ?? new Map<string, Promise<void>>();
    byKey.set(key, done);
    ensured.set(pool, byKey);
    done.catch(() => byKey.delete(key));
  }
  return done;
}

const ensured = new WeakMap<pg.Pool, Map<string, Promise<void>>>();

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
