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
    const open = () => openDatabase({ databaseUrl: pg.url, dataDir: '/nonexistent', schema });
    const database = await open();
    await migrate(database);
    const extra: Database[] = [];
    return {
      database,
      location: pg.url,
      reopen: async () => {
        const d = await open();
        extra.push(d);
        return d;
      },
      dispose: async () => {
        for (const d of [database, ...extra]) await d.close();
        await pg.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `ps-${label}-`));
  const open = () => openDatabase({ dataDir: dir, schema });
  const database = await open();
  await migrate(database);
  const extra: Database[] = [];
  return {
    database,
    location: dir,
    reopen: async () => {
      const d = await open();
      extra.push(d);
      return d;
    },
    dispose: async () => {
      for (const d of [database, ...extra]) await d.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
