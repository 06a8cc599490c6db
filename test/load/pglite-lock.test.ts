import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { acquireDirLock } from '../../src/load/dir-lock.ts';
import { DatabaseLockedError, openDatabase } from '../../src/load/index.ts';

const HOLDER = join(import.meta.dirname, 'fixtures', 'hold-pglite.ts');

function holdInChild(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describe('embedded PGlite lock', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'ps-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('makes a second process fail fast with a clear message, and lets it in once the holder dies', async () => {
    const dir = tempDir();
    const child = await holdInChild(dir);
    children.push(child);

    const started = Date.now();
    const err = await openDatabase({ dataDir: dir, schema: 'puffle' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(DatabaseLockedError);
    expect(err).toBeInstanceOf(ConfigError); // the CLI maps it to exit 2
    expect((err as Error).message).toContain(`in use by process ${child.pid}`);
    expect((err as Error).message).toMatch(/PUFFLE_SYNC_DATA_DIR|DATABASE_URL/);

    // SIGKILL leaves the lock file behind; its pid is dead, so the next opener takes over.
    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(join(dir, 'puffle-sync.lock'))).toBe(true);
    const database = await openDatabase({ dataDir: dir, schema: 'puffle' });
    expect(
      (await database.query<{ one: number }>((await import('drizzle-orm')).sql`select 1 as one`))[0]?.one,
    ).toBe(1);
    await database.close();
    await database.close(); // idempotent
    expect(existsSync(join(dir, 'puffle-sync.lock'))).toBe(false);
  });

  it('refuses a second opener in the same process until the first releases', () => {
    const dir = tempDir();
    const first = acquireDirLock(dir);
    expect(() => acquireDirLock(dir)).toThrow(DatabaseLockedError);
    first.release();
    first.release();
    acquireDirLock(dir).release();
    expect(existsSync(first.path)).toBe(false);
  });

  it('treats a lock held by a live pid as held even if unknown to us', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'puffle-sync.lock'),
      JSON.stringify({ pid: process.ppid, host: hostname(), token: 'x', since: 'earlier' }),
    );
    await expect(openDatabase({ dataDir: dir, schema: 'puffle' })).rejects.toThrow(
      `in use by process ${process.ppid}`,
    );
  });
});
