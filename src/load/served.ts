/**
 * An embedded warehouse served by `puffle-sync sql`. PGlite is single-process, so while the SQL
 * port holds a data directory, other puffle-sync processes (a `sync`, `status`, `demo`) reach it
 * through the port: the port writes `puffle-sync-sql.json` (pid, host, url) into the directory,
 * and `openDatabase` connects to that url instead of failing on the directory lock.
 *
 * Every session of the port reports the directory as the setting `puffle_sync.served_dir`, so a
 * process given the port's url as DATABASE_URL knows it too. The port's clients share one
 * Postgres session, where advisory locks are re-entrant and exclude nobody: there, `tryLock`
 * takes a lock file in the served directory instead (which only a process on the same machine
 * can do).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { ConfigError } from '../config/config-error.ts';
import type { Database, DatabaseLock } from './database.ts';
import { acquireDirLock } from './dir-lock.ts';
import { DatabaseLockedError } from './errors/database-locked-error.ts';

export const SERVED_DIR_SETTING = 'puffle_sync.served_dir';
export const SERVED_MARKER = 'puffle-sync-sql.json';

interface Marker {
  pid: number;
  host: string;
  url: string;
}

/** Announces the port for `dataDir`; `remove()` before the directory lock is released. */
export function writeServedMarker(dataDir: string, url: string): { remove(): void } {
  const path = join(resolve(dataDir), SERVED_MARKER);
  const marker: Marker = { pid: process.pid, host: hostname(), url };
  writeFileSync(path, JSON.stringify(marker), { mode: 0o600 });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('exit', remove);
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', remove);
  return { remove };
}

/** The url of a live `puffle-sync sql` serving `dataDir` on this machine, if any. */
export function servedUrl(dataDir: string): string | undefined {
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(readFileSync(join(resolve(dataDir), SERVED_MARKER), 'utf8')) as Partial<Marker>;
  } catch {
    return undefined;
  }
  if (typeof marker.pid !== 'number' || typeof marker.url !== 'string' || marker.host !== hostname())
    return undefined;
  try {
    process.kill(marker.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // a port that died: stale
  }
  return marker.url;
}

/**
 * The database as opened through the SQL port, when it is one (else unchanged): the embedded
 * kind (its housekeeping applies), with locks taken as files in the served directory.
 */
export async function throughSqlPort(database: Database): Promise<Database> {
  const [row] = await database
    .query<{ dir: string | null }>(
      sql`select nullif(current_setting(${SERVED_DIR_SETTING}, true), '') as dir`,
    )
    .catch(async (err: unknown) => {
      await database.close();
      throw err;
    });
  const dir = row?.dir;
  if (!dir) return database;
  database.logger.debug({ dir }, 'the embedded database is served by puffle-sync sql: connected through it');
  return { ...database, kind: 'pglite', tryLock: (name) => fileLock(dir, name) };
}

async function fileLock(dir: string, name: string): Promise<DatabaseLock | undefined> {
  if (!existsSync(join(dir, SERVED_MARKER)))
    throw new ConfigError(
      `the embedded database is served by puffle-sync sql from ${dir}, which this process cannot see: sync on the machine that serves it, or into Postgres`,
    );
  const file = `puffle-sync-${createHash('sha256').update(name).digest('hex').slice(0, 16)}.lock`;
  try {
    const lock = acquireDirLock(dir, file);
    return { release: async () => lock.release() };
  } catch (err) {
    if (err instanceof DatabaseLockedError) return undefined;
    throw err;
  }
}
