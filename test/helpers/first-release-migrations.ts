/** The migrations directory as the first release shipped it (only 0000_init), for upgrade tests. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate } from '../../src/load/index.ts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/load/migrate.ts';

/** Migrates `database` as the first release would have; returns the tags it applied. */
export async function migrateAsFirstRelease(database: Database): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-first-release-'));
  try {
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const journalPath = join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag === '0000_init');
    writeFileSync(journalPath, JSON.stringify(journal));
    return (await migrate(database, { dir })).applied;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
