import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getState, openDatabase, queryRows } from '../../src/load/index.ts';

const WRITER = join(import.meta.dirname, 'fixtures', 'commit-forever.ts');

describe('embedded PGlite under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps rows and checkpoint consistent across repeated SIGKILLs mid-commit', async () => {
    const resumedAt: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          if (output.includes('committed')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      resumedAt.push(Number(/resumed at (\d+)/.exec(output)?.[1]));
      // Let it commit for a while, at a different point of a page each time.
      await new Promise((resolve) => setTimeout(resolve, 300 + kill * 170));
      child.kill('SIGKILL');
      await exited;
    }
    expect(resumedAt[0]).toBe(0);

    const database = await openDatabase({ dataDir: dir, schema: 'puffle' });
    try {
      const state = await getState(database, 'leads', '');
      const [rows] = await queryRows<{ n: number; distinct: number }>(
        database,
        'select count(*)::int as n, count(distinct id)::int as distinct from puffle.leads',
      );
      expect(state?.resume?.kind).toBe('cursor');
      const checkpoint = state?.resume?.kind === 'cursor' ? Number(state.resume.cursor) : -1;
      expect(checkpoint).toBeGreaterThan(0);
      // Never a checkpoint ahead of its rows, never rows beyond their checkpoint.
      expect(rows).toEqual({ n: checkpoint, distinct: checkpoint });
      // Each restart resumed exactly where the committed checkpoint was.
      expect(resumedAt.slice(1).every((at, i) => at >= resumedAt[i]!)).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);
});
