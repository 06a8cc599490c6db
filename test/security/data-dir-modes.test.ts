/**
 * The embedded warehouse is private to the user running the sync: a new data directory is 0700
 * with every file 0600 (owner bits only) and every sub-directory 0700 once opened and closed; an
 * existing, world-readable one (0755 with 0666 files, as PGlite leaves them) is tightened on open;
 * the lock file is 0600.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/load/index.ts';

/** Every path under `dir` with its permission bits, `dir` itself first. */
function modes(dir: string): Array<{ path: string; mode: number; directory: boolean }> {
  const out = [{ path: dir, mode: statSync(dir).mode & 0o777, directory: true }];
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    try {
      const stat = statSync(path);
      out.push({ path, mode: stat.mode & 0o777, directory: stat.isDirectory() });
    } catch {
      // removed while listing (an open database)
    }
  }
  return out;
}

function openToOthers(dir: string) {
  return modes(dir).filter((m) => (m.mode & 0o077) !== 0 || (m.directory && m.mode !== 0o700));
}

describe('embedded database file modes', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'puffle-modes-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a new data directory is 0700 with nothing in it readable by others', { timeout: 60_000 }, async () => {
    const dir = join(root, 'new', 'data');
    const db = await openDatabase({ dataDir: dir, schema: 'puffle' });
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'puffle-sync.lock')).mode & 0o777).toBe(0o600);
    } finally {
      await db.close();
    }
    const all = modes(dir);
    expect(all.length).toBeGreaterThan(100);
    expect(openToOthers(dir)).toEqual([]);
  });

  it('an existing world-readable directory is tightened on open', { timeout: 60_000 }, async () => {
    const dir = join(root, 'old');
    mkdirSync(dir);
    // What a data directory looked like before: PGlite's own modes under a 0755 directory.
    const pglite = await PGlite.create(join(dir, 'pgdata'));
    await pglite.close();
    chmodSync(dir, 0o755);
    // Files PGlite never rewrites, and some of our own, all left open to others.
    const steady = [
      join(dir, 'pgdata', 'PG_VERSION'),
      join(dir, 'pgdata', 'postgresql.conf'),
      join(dir, 'notes.txt'),
      join(dir, 'backups', 'old.sql'),
    ];
    mkdirSync(join(dir, 'backups'), { mode: 0o755 });
    for (const file of steady.slice(2)) writeFileSync(file, 'x', { mode: 0o644 });
    for (const file of steady) chmodSync(file, 0o666);
    chmodSync(join(dir, 'backups'), 0o755);
    expect(openToOthers(dir).length).toBeGreaterThan(100);
    const db = await openDatabase({ dataDir: dir, schema: 'puffle' });
    try {
      // While open: tightened already. (Files PGlite writes from now on are 0666 until close,
      // behind the private directory.)
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'backups')).mode & 0o777).toBe(0o700);
      for (const file of steady) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    } finally {
      await db.close();
    }
    expect(openToOthers(dir)).toEqual([]);
  });
});
