/**
 * Found by the chaos harness (pg-terminate): pg_terminate_backend of the sync's connections
 * (1) crashed the process with an unhandled 'error' event from a checked-out client, and
 * (2) leaked clients whose `begin` failed (drizzle releases only after `begin` succeeded), so the
 * pool drained and `close()` never returned — the CLI ended with exit 13 (unsettled await).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { adminDatabaseUrl, createTestDatabase } from '../helpers/services.ts';

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);

describe('Postgres connections terminated under the pool', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: pg.Client;
  const terminateOurs = async () => {
    const { rowCount } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = $1 and application_name = 'puffle-sync'`,
      [new URL(target.url).pathname.slice(1)],
    );
    return rowCount ?? 0;
  };

  beforeAll(async () => {
    target = await createTestDatabase('reg_pgterm');
    admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await target?.drop();
  });

  it('fails the transaction whose connection dies between statements, without crashing', async () => {
    const db = await openDatabase({ databaseUrl: target.url, dataDir: '', schema: 'puffle', poolSize: 2 });
    try {
      const tx = db.db.transaction(async (t) => {
        await t.execute(sql`select 1`);
        expect(await terminateOurs()).toBeGreaterThan(0);
        // The FATAL arrives while the client is checked out and idle.
        await new Promise((r) => setTimeout(r, 200));
        await t.execute(sql`select 1`);
      });
      await expect(tx).rejects.toThrow();
      expect(await db.query<{ n: number }>(sql`select 1 as n`)).toEqual([{ n: 1 }]);
    } finally {
      await within(db.close(), 5000);
    }
  });

  it('releases clients whose begin fails, so the pool keeps working and close() returns', async () => {
    const db: Database = await openDatabase({
      databaseUrl: target.url,
      dataDir: '',
      schema: 'puffle',
      poolSize: 2,
    });
    try {
      for (let i = 0; i < 15; i += 1) {
        await Promise.all([db.query(sql`select 1`), db.query(sql`select 1`)]);
        await terminateOurs();
        // Checked out at once: the pool may hand over a client whose backend is already gone.
        await Promise.allSettled([
          db.db.transaction(async (t) => t.execute(sql`select 1`)),
          db.db.transaction(async (t) => t.execute(sql`select 1`)),
        ]);
      }
      const ok = await within(
        db.db.transaction(async (t) => t.execute(sql`select 1 as n`)),
        5000,
      );
      expect(ok).toBeDefined();
    } finally {
      await within(db.close(), 5000);
    }
  });
});
