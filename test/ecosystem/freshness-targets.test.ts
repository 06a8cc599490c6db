/** PUFFLE_FRESHNESS_TARGETS: durations, the `*` default, 26 h otherwise; a bad value is one line (exit 2). */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { freshnessTargetOf, parseDuration } from '../../src/config/freshness.ts';
import { runCli } from '../helpers/cli.ts';

describe('freshness targets', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1d12h', 129_600],
    ['366d', 31_622_400],
    ['0s', undefined],
    ['367d', undefined],
    ['2', undefined],
    ['h', undefined],
    ['-2h', undefined],
    ['1.5h', undefined],
  ])('%s → %s seconds', (raw, seconds) => {
    expect(parseDuration(raw)).toBe(seconds);
  });

  it('named streams get theirs, `*` the others, and 26 h when unset', () => {
    const { freshnessTargets } = loadConfig({ PUFFLE_FRESHNESS_TARGETS: ' leads=2h , signals=30m,*=12h ' });
    expect(freshnessTargets).toEqual({ leads: 7200, signals: 1800, '*': 43_200 });
    expect(freshnessTargetOf(freshnessTargets, 'leads')).toBe(7200);
    expect(freshnessTargetOf(freshnessTargets, 'campaigns')).toBe(43_200);
    const unset = loadConfig({}).freshnessTargets;
    expect(freshnessTargetOf(unset, 'campaigns')).toBe(26 * 3600);
  });

  it('`status --freshness` with a stream that does not exist: one line, exit 2', async () => {
    const res = await runCli(['status', '--freshness', 'leads=2h,lead=3h'], {
      DATABASE_URL: 'postgres://127.0.0.1:9/none',
    });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--freshness.*item 2 names no stream/);
  });
});
