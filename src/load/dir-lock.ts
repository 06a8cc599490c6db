/**
 * An exclusive lock on a data directory, held by one live process: a `puffle-sync.lock` file
 * created with O_EXCL and holding `{pid, host}`. A lock left by a dead pid on this host is taken
 * over (behind a second O_EXCL file, so two processes never both take over the same stale lock).
 * Released on `release()` and, as a last resort, on process exit. The directory is created (or
 * tightened) private first: see data-dir.ts.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { preparePrivateDir } from './data-dir.ts';
import { DatabaseLockedError } from './errors/database-locked-error.ts';

export interface DirLock {
  readonly path: string;
  /** Idempotent and synchronous (safe from signal and exit handlers). */
  release(): void;
}

interface LockBody {
  pid: number;
  host: string;
  token: string;
  since: string;
}

const TAKEOVER_STALE_MS = 10_000;

export function acquireDirLock(dir: string, file = 'puffle-sync.lock'): DirLock {
  const absDir = resolve(dir);
  preparePrivateDir(absDir);
  const path = join(absDir, file);
  const body: LockBody = {
    pid: process.pid,
    host: hostname(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    since: new Date().toISOString(),
  };
  if (!tryCreate(path, body)) {
    const holder = readHolder(path);
    if (holder ? isAlive(holder) : justCreated(path)) throw lockedError(absDir, holder);
    takeOver(path, absDir, body);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      if (readHolder(path)?.token === body.token) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once('exit', release);
  return { path, release };
}

function tryCreate(path: string, body: LockBody): boolean {
  try {
    writeFileSync(path, JSON.stringify(body), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function takeOver(path: string, dir: string, body: LockBody): void {
  const guard = `${path}.takeover`;
  try {
    if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(guard);
  } catch {
    // No guard left behind.
  }
  if (!tryCreate(guard, body)) throw lockedError(dir, readHolder(path));
  try {
    const holder = readHolder(path);
    if (holder && isAlive(holder)) throw lockedError(dir, holder);
    try {
      unlinkSync(path);
    } catch {
      // Removed meanwhile.
    }
    if (!tryCreate(path, body)) throw lockedError(dir, readHolder(path));
  } finally {
    unlinkSync(guard);
  }
}

/** An unreadable lock may be one another process is still writing. */
function justCreated(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 2_000;
  } catch {
    return false;
  }
}

function readHolder(path: string): LockBody | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockBody>;
    if (typeof parsed.pid !== 'number') return undefined;
    return {
      pid: parsed.pid,
      host: String(parsed.host),
      token: String(parsed.token),
      since: String(parsed.since),
    };
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockBody): boolean {
  // A pid on another host cannot be checked: assume it is alive.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, holder: LockBody | undefined): DatabaseLockedError {
  const who = holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another process';
  return new DatabaseLockedError(
    `the embedded database in ${dir} is in use by ${who}; stop it first, or set PUFFLE_SYNC_DATA_DIR to another directory, or DATABASE_URL to use Postgres`,
    holder?.pid,
  );
}
