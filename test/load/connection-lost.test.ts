/** Which real Postgres failures count as "the connection went away" (worth a retry) and which do not. */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, isConnectionLost, openDatabase } from '../../src/load/index.ts';
import { adminDatabaseUrl, createTestDatabase } from '../helpers/services.ts';

describe('isConnectionLost', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let admin: pg.Client;

  beforeAll(async () => {
    target = await createTestDatabase('connlost');
    db = await openDatabase({ databaseUrl: target.url, dataDir: '', schema: 'puffle', poolSize: 2 });
    admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await target?.drop();
  });

  it('is true for a statement whose backend was terminated (57P01), through drizzle and a transaction', async () => {
    const failed = await db.db
      .transaction(async (tx) => {
        const result = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
          rows: Array<{ pid: number }>;
        };
        const pid = result.rows[0]?.pid;
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await tx.execute(sql`select 1`);
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failed).toBeDefined();
    expect(isConnectionLost(failed)).toBe(true);
    // The pool replaced the dead connection: the next statement works.
    expect(await db.query(sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it('is true when the server refuses connections', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 2000,
    });
    const err = await pool.query('select 1').catch((e: unknown) => e);
    await pool.end();
    expect(isConnectionLost(err)).toBe(true);
  });

  it('is false for errors a retry cannot fix: syntax, constraint, missing table', async () => {
    for (const statement of [sql`selec 1`, sql`select 1/0`, sql`select * from no_such_table`]) {
      const err = await db.query(statement).catch((e: unknown) => e);
      expect(err, String(statement.queryChunks)).toBeInstanceOf(Error);
      expect(isConnectionLost(err)).toBe(false);
    }
    expect(isConnectionLost(new Error('boom'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
  });
});
