/**
 * The embedded database's directory is private to the user running the sync: created 0700, an
 * existing one tightened to 0700 on open, and every file in it 0600 / sub-directory 0700 on open
 * and again on close (PGlite writes its files world-readable, 0666; the private top directory
 * already keeps other users out of them while it runs). Files keep only their owner bits. Every reason the directory cannot be
 * used — a file in its path, no write permission, a `pgdata` that is not a directory — is a
 * ConfigError naming PUFFLE_SYNC_DATA_DIR, not a raw ENOTDIR/EACCES.
 */
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.ts';

export const PRIVATE_DIR_MODE = 0o700;
const NAME = 'PUFFLE_SYNC_DATA_DIR';

/** Creates or checks `dir` (absolute) and makes it private. */
export function preparePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (err) {
    if (isFile(dir)) throw new ConfigError(`${NAME} ${dir} is a file, not a directory`);
    throw dirError(dir, err);
  }
  if (isFile(dir)) throw new ConfigError(`${NAME} ${dir} is a file, not a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (err) {
    throw dirError(dir, err);
  }
}

/** `pgdata` inside the directory must be a directory when it exists. */
export function checkDatabaseDir(dir: string, databaseDir: string): void {
  try {
    if (!statSync(databaseDir).isDirectory())
      throw new ConfigError(
        `${NAME} ${dir} holds a file named pgdata where the embedded database should be; move it away or choose another directory`,
      );
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw dirError(dir, err);
  }
}

/** Every directory under `dir` 0700, every file 0600 (symbolic links are left alone). */
export function tightenTree(dir: string): void {
  for (const entry of safeReaddir(dir)) {
    const path = join(dir, entry);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // removed meanwhile
    }
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) chmodQuietly(path, PRIVATE_DIR_MODE);
      tightenTree(path);
    } else if ((stat.mode & 0o077) !== 0) chmodQuietly(path, stat.mode & 0o700);
  }
}

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function chmodQuietly(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // A file owned by someone else; the private top directory still keeps others out.
  }
}

function dirError(dir: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOTDIR'
      ? 'is inside a file, not a directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'is not writable by this user (or not theirs to make private)'
        : code === 'EROFS'
          ? 'is on a read-only file system'
          : `cannot be used (${code ?? 'error'})`;
  return new ConfigError(`${NAME} ${dir} ${why}; choose another directory, or set DATABASE_URL`, {
    cause: err,
  });
}
