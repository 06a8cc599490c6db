/**
 * Every benchmark of bench/ at a tiny size: the harness runs end to end and computes sane ratios
 * (correctness of the measuring, not speed — no goal is asserted here except the exact ones:
 * 0 429s and 0 rows rewritten by an unchanged re-run).
 */
import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../../bench/lib/context.ts';
import { type Figure, verdict } from '../../bench/lib/figure.ts';
import { median } from '../../bench/lib/stats.ts';
import { runSuite } from '../../bench/lib/suite.ts';

const ctx: BenchContext = {
  records: 3_000,
  smallRecords: 1_000,
  reps: 1,
  bigReps: 1,
  perMinute: 6_000,
  budgetScale: 150,
  minRequests: 30,
  incrementalScale: 600,
  concurrency: 4,
  seed: 1,
  log: () => {},
};

describe('bench harness', () => {
  it('verdicts and medians', () => {
    const f = (value: number, op: '<=' | '>=' | '==', target: number): Figure => ({
      id: 'x',
      name: 'x',
      value,
      goal: { op, target },
      detail: '',
    });
    expect(verdict(f(1.2, '<=', 1.25))).toBe('PASS');
    expect(verdict(f(1.3, '<=', 1.25))).toBe('FAIL');
    expect(verdict(f(0.94, '>=', 0.95))).toBe('FAIL');
    expect(verdict(f(Number.NaN, '>=', 0.95))).toBe('FAIL');
    expect(verdict(f(0, '==', 0))).toBe('PASS');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('runs every benchmark at a tiny size and computes sane ratios', { timeout: 90_000 }, async () => {
    const figures = await runSuite(ctx);
    const by = new Map(figures.map((f) => [f.id, f]));
    expect([...by.keys()].sort()).toEqual([
      '1a',
      '1ab',
      '1c',
      '1cb',
      '1d',
      '1db',
      '2',
      '3',
      '3b',
      '4',
      '5',
      '6a',
      '6b',
    ]);
    for (const id of ['1a', '1c', '1d']) {
      const v = by.get(id)!.value;
      // Requests/min can never exceed the budget the simulator enforces (plus its 2 % margin).
      expect(v).toBeGreaterThan(0.05);
      expect(v).toBeLessThanOrEqual(1.0);
    }
    expect(by.get('1ab')!.value).toBe(0);
    expect(by.get('1cb')!.value).toBe(0);
    expect(by.get('1db')!.value).toBe(0);
    // A sync cannot beat both of its own halves by a wide margin.
    expect(by.get('2')!.value).toBeGreaterThan(0.5);
    expect(by.get('2')!.detail).toMatch(/raw fetch .* \(\d+ records/);
    expect(by.get('3')!.value).toBeGreaterThan(0);
    expect(by.get('3')!.value).toBeLessThan(5);
    expect(by.get('3b')!.value).toBe(0);
    expect(by.get('4')!.value).toBeGreaterThan(0.5);
    expect(by.get('4')!.value).toBeLessThan(3);
    // 1 % churn can only need a small fraction of a full sync's requests, never more than all.
    expect(by.get('5')!.value).toBeGreaterThan(0);
    expect(by.get('5')!.value).toBeLessThan(1);
    // PGlite against Postgres: a wall-time ratio and a peak RSS in MB, both with goals.
    expect(by.get('6a')!.value).toBeGreaterThan(0);
    expect(by.get('6a')!.goal).not.toBeNull();
    expect(by.get('6b')!.value).toBeGreaterThan(10);
    expect(by.get('6b')!.goal).not.toBeNull();
  });
});
