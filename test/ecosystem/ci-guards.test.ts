/**
 * CI cannot be fooled: a focused or skipped test fails lint (the repo's biome.json) and a focused
 * one fails vitest itself (the repo's vitest.config.ts), and the summary line CI prints comes from
 * this run's report only, failing on skipped tests and on a leftover report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummary, summarize, type VitestResults } from '../../scripts/test-summary.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

describe('CI guards', () => {
  let dir: string;
  beforeAll(() => {
    // A scratch project that uses the repo's own configs and packages.
    dir = mkdtempSync(join(tmpdir(), 'puffle-ci-guards-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(
      join(dir, 'biome.json'),
      JSON.stringify({ extends: [join(ROOT, 'biome.json')], vcs: { enabled: false } }),
    );
    writeFileSync(
      join(dir, 'vitest.config.ts'),
      `import { defineConfig } from 'vitest/config';
import base from ${JSON.stringify(join(ROOT, 'vitest.config.ts'))};
export default defineConfig({ test: { ...base.test, include: ['*.probe.ts'], globalSetup: [], reporters: ['default'] } });
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const probe = (name: string, body: string) => {
    writeFileSync(join(dir, name), `import { describe, expect, it } from 'vitest';\n\n${body}\n`);
    return name;
  };
  const lint = (file: string) => spawnSync(bin('biome'), ['lint', file], { cwd: dir, encoding: 'utf8' });

  it.each([
    ['it.only', "it.only('focused', () => expect(1).toBe(1));", 'noFocusedTests'],
    [
      'describe.only',
      "describe.only('focused', () => {\n  it('x', () => expect(1).toBe(1));\n});",
      'noFocusedTests',
    ],
    ['it.skip', "it.skip('skipped', () => expect(1).toBe(1));", 'noSkippedTests'],
    [
      'describe.skip',
      "describe.skip('skipped', () => {\n  it('x', () => expect(1).toBe(1));\n});",
      'noSkippedTests',
    ],
  ])('biome rejects %s as an error', (label, body, rule) => {
    const res = lint(probe(`${label.replace('.', '-')}.test.ts`, body));
    expect(res.status, res.stdout + res.stderr).toBe(1);
    expect(res.stdout + res.stderr).toContain(`lint/suspicious/${rule}`);
  });

  it('biome passes the same file without the modifier', () => {
    const res = lint(probe('clean.test.ts', "it('plain', () => expect(1).toBe(1));"));
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it('vitest fails a run with a focused test', () => {
    probe(
      'focused.probe.ts',
      "it.only('focused', () => expect(1).toBe(1));\nit('other', () => expect(1).toBe(1));",
    );
    const res = spawnSync(bin('vitest'), ['run', '--root', dir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: undefined },
    });
    expect(res.status, res.stdout + res.stderr).toBe(1);
    expect(res.stdout + res.stderr).toContain('Unexpected .only modifier');
  });

  const results = (over: Partial<VitestResults> = {}): VitestResults => ({
    startTime: 2_000,
    numPassedTests: 548,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numFailedTestSuites: 0,
    ...over,
  });

  it('the summary line: counts, and ok only when nothing failed or was skipped', () => {
    expect(summarize(results(), 1_000)).toEqual({ line: '548 passed, 0 failed, 0 skipped', ok: true });
    expect(summarize(results({ numFailedTests: 2 }), 1_000)).toMatchObject({
      line: '548 passed, 2 failed, 0 skipped',
      ok: false,
    });
    expect(summarize(results({ numPendingTests: 1, numTodoTests: 1 }), 1_000)).toMatchObject({
      line: expect.stringMatching(/^548 passed, 0 failed, 2 skipped \(CI runs every test/),
      ok: false,
    });
    expect(summarize(results({ numFailedTestSuites: 1 }), 1_000)).toEqual({
      line: '548 passed, 0 failed, 0 skipped, 1 suite(s) failed outside any test',
      ok: false,
    });
  });

  it('the summary refuses a report from an earlier run, and a missing one', () => {
    expect(summarize(results({ startTime: 999 }), 1_000)).toMatchObject({
      line: expect.stringContaining('from an earlier run'),
      ok: false,
    });
    const path = join(dir, 'results.json');
    expect(readSummary(path, 1_000)).toMatchObject({
      line: expect.stringContaining('no results file'),
      ok: false,
    });
    writeFileSync(path, JSON.stringify(results()));
    expect(readSummary(path, 1_000)).toEqual({ line: '548 passed, 0 failed, 0 skipped', ok: true });
    expect(readSummary(path, 3_000).ok).toBe(false);
  });
});
