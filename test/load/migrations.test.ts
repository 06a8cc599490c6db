import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTables, type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { DEFAULT_MIGRATIONS_DIR, forSchema, MIGRATIONS_TABLE } from '../../src/load/migrate.ts';
import { migrateAsFirstRelease } from '../helpers/first-release-migrations.ts';
import { createTestDatabase } from '../helpers/services.ts';

const run = promisify(execFile);
// Every migration file on disk (not the journal the migrator reads), so a new table adds no edit here.
const ALL = readdirSync(DEFAULT_MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.slice(0, -'.sql'.length))
  .sort();

describe('migrations', () => {
  let pg: { url: string; drop: () => Promise<void> };
  const opened: Database[] = [];
  const open = async (schema: string) => {
    const d = await openDatabase({ databaseUrl: pg.url, dataDir: '/nonexistent', schema, poolSize: 2 });
    opened.push(d);
    return d;
  };

  beforeAll(async () => {
    pg = await createTestDatabase('migrations');
  });
  afterAll(async () => {
    for (const d of opened) await d.close();
    await pg?.drop();
  });

  it('match the schema: drizzle-kit generates nothing new (no drift)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ps-drift-'));
    try {
      cpSync(DEFAULT_MIGRATIONS_DIR, out, { recursive: true });
      const before = readdirSync(out).sort();
      const { stdout } = await run(join('node_modules', '.bin', 'drizzle-kit'), ['generate'], {
        // drizzle-kit prefixes `./` to the out path, so it must be relative.
        env: { ...process.env, DRIZZLE_OUT: relative(process.cwd(), out) },
      });
      expect(readdirSync(out).sort()).toEqual(before);
      expect(stdout).toMatch(/No schema changes/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('apply once when several replicas migrate at the same time', async () => {
    const replicas = await Promise.all([1, 2, 3, 4, 5].map(() => open('concurrent')));
    const results = await Promise.all(replicas.map((d) => migrate(d)));
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toEqual(ALL);
    expect(results.filter((r) => r.skipped.join() === ALL.join())).toHaveLength(4);
    const rows = await replicas[0]!.query<{ tag: string }>(
      sql.raw(`select tag from concurrent.${MIGRATIONS_TABLE} order by tag`),
    );
    expect(rows).toEqual(ALL.map((tag) => ({ tag })));
  });

  it('create every table in a custom schema name, and nothing in the default one', async () => {
    const d = await open('warehouse_custom');
    expect((await migrate(d)).applied).toEqual(ALL);
    const tables = await d.query<{ schema: string; n: number }>(sql`
      select table_schema as schema, count(*)::int as n from information_schema.tables
      where table_schema in ('warehouse_custom', 'puffle') group by 1`);
    // Every stream's table, every bookkeeping table and the migrations record.
    const t = buildTables('warehouse_custom');
    const expected = Object.keys(t.streams).length + Object.keys(t.bookkeeping).length + 1;
    expect(tables).toEqual([{ schema: 'warehouse_custom', n: expected }]);
    expect((await migrate(d)).applied).toEqual([]);
  });

  it('upgrade a warehouse created by an earlier version in place, keeping its rows', async () => {
    const d = await open('upgrade_path');
    expect(await migrateAsFirstRelease(d)).toEqual(['0000_init']);
    await d.query(sql`insert into upgrade_path.sync_runs (run_id, stream, trigger, status, started_at, requests)
      values ('old-run', '*', 'manual', 'succeeded', now(), 7)`);
    expect((await migrate(d)).applied).toEqual(ALL.slice(1));
    const rows = await d.query<{ requests: number; by: unknown; fullRefresh: boolean }>(
      sql`select requests, requests_by_status as by, full_refresh as "fullRefresh"
          from upgrade_path.sync_runs where run_id = 'old-run'`,
    );
    expect(rows).toEqual([{ requests: 7, by: {}, fullRefresh: false }]);
  });

  it('point generated SQL at the target schema', () => {
    expect(forSchema('CREATE SCHEMA "puffle";', 'x')).toBe('CREATE SCHEMA IF NOT EXISTS "x";');
    expect(forSchema('CREATE INDEX "a_idx" ON "puffle"."a" USING btree ("id");', 'x')).toBe(
      'CREATE INDEX "a_idx" ON "x"."a" USING btree ("id");',
    );
  });

  it('refuse a schema name that is not a plain identifier', async () => {
    await expect(open('bad"name')).rejects.toThrow(/PUFFLE_SYNC_SCHEMA/);
  });
});
