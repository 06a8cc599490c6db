/**
 * Opens migrated databases for load tests: a fresh Postgres database (createTestDatabase) and an
 * embedded PGlite in a temp directory, with the same schema name, so tests can run on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { createTestDatabase } from '../helpers/services.ts';

export type Kind = Database['kind'];
export const KINDS: Kind[] = ['postgres', 'pglite'];

export interface TestDatabase {
  database: Database;
  /** For Postgres: the URL; for PGlite: the data directory. */
  location: string;
  /** Opens a second handle on the same storage (a "new process" for PGlite, after close()). */
  reopen(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function openTestDatabase(kind: Kind, label: string, schema = 'puffle'): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const pg = await createTestDatabase(label);
    return withHandles(
      pg.url,
      () => openDatabase({ databaseUrl: pg.url, dataDir: '/nonexistent', schema }),
      pg.drop,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), `ps-${label}-`));
  return withHandles(
    dir,
    () => openDatabase({ dataDir: dir, schema }),
    async () => rmSync(dir, { recursive: true, force: true }),
  );
}

/** A migrated first handle, extra handles on demand, and one dispose that closes all, then removes the storage. */
async function withHandles(
  location: string,
  open: () => Promise<Database>,
  remove: () => Promise<void>,
): Promise<TestDatabase> {
  const database = await open();
  await migrate(database);
  const extra: Database[] = [];
  return {
    database,
    location,
    reopen: async () => {
      const d = await open();
      extra.push(d);
      return d;
    },
    dispose: async () => {
      for (const d of [database, ...extra]) await d.close();
      await remove();
    },
  };
}
