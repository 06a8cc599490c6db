/**
 * A new embedded data directory is filled from the template of the installed PGlite version
 * (src/load/pglite-open.ts), not by PGlite's initdb in the sync's process: the template exists,
 * is what this PGlite's initdb makes (same server and catalog versions, same catalog), and a
 * directory opened from it is a working warehouse with the embedded settings.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { createPglite, PGLITE_SETTINGS, pgliteVersion, templatePath } from '../../src/load/pglite-open.ts';

const IDENTITY = `select current_setting('server_version') as server,
  (select catalog_version_no from pg_control_system()) as catalog,
  (select count(*)::int from pg_class) as relations,
  (select string_agg(datname, ',' order by datname) from pg_database) as databases`;

describe('the embedded data-directory template', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'puffle-template-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('exists for the installed PGlite (else run `npm run pglite:template`)', () => {
    expect(existsSync(templatePath()), `no template for PGlite ${pgliteVersion()}`).toBe(true);
  });

  it('is what this PGlite initdb makes', { timeout: 120_000 }, async () => {
    const fromTemplate = await createPglite(join(root, 'pgdata'));
    const got = (await fromTemplate.query(IDENTITY)).rows[0];
    await fromTemplate.close();
    const initdb = await PGlite.create();
    const want = (await initdb.query(IDENTITY)).rows[0];
    await initdb.close();
    expect(got).toEqual(want);
  });

  it('fills an empty pgdata, over what an interrupted unpack left beside it', {
    timeout: 120_000,
  }, async () => {
    mkdirSync(join(root, 'pgdata'));
    mkdirSync(join(root, 'pgdata.new', 'base'), { recursive: true });
    writeFileSync(join(root, 'pgdata.new', 'base', 'half'), 'x');
    const pg = await createPglite(join(root, 'pgdata'));
    try {
      expect((await pg.query<{ n: number }>('select count(*)::int as n from pg_database')).rows[0]?.n).toBe(
        3,
      );
    } finally {
      await pg.close();
    }
    expect(existsSync(join(root, 'pgdata.new'))).toBe(false);
    expect(statSync(join(root, 'pgdata', 'PG_VERSION')).mode & 0o777).toBe(0o600);
  });

  it('opens as a working warehouse with the embedded settings, and again after close', {
    timeout: 120_000,
  }, async () => {
    const first = await openDatabase({ dataDir: root, schema: 'puffle' });
    await migrate(first);
    await first.query(sql`create table puffle.t (id int primary key)`);
    await first.query(sql`insert into puffle.t values (1), (2)`);
    await first.close();
    const again = await openDatabase({ dataDir: root, schema: 'puffle' });
    try {
      expect(await again.query(sql`select count(*)::int as n from puffle.t`)).toEqual([{ n: 2 }]);
      const [setting] = await again.query<{ shared_buffers: string }>(sql`show shared_buffers`);
      expect(setting?.shared_buffers).toBe(PGLITE_SETTINGS.shared_buffers);
    } finally {
      await again.close();
    }
  });
});
