/** The mass-delete guard's decision (pure): when a sweep is held, and how the next walk settles a hold. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DELETE_GUARD, isMassDeletion, planSweep } from '../../src/load/index.ts';

const guard = DEFAULT_DELETE_GUARD; // more than 15 % and at least 10 rows, or every live row from 3
const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${from + i}`);

describe('isMassDeletion', () => {
  it.each([
    [10, 66, true], // 15.2 %
    [10, 67, false], // 14.9 %
    [15, 100, false], // exactly 15 %: not more than
    [16, 100, true],
    [9, 20, false], // 45 %, under the minimum
    [9, 9, true], // every live row
    [3, 3, true],
    [2, 2, false], // every live row, under the floor of 3
    [0, 100, false],
  ])('%i of %i live rows: held = %s', (count, live, held) => {
    expect(isMassDeletion(count, live, guard)).toBe(held);
  });

  it('holds nothing when accepted, and nothing by share at 100 %', () => {
    expect(isMassDeletion(500, 500, { ...guard, accept: true })).toBe(false);
    expect(isMassDeletion(99, 100, { ...guard, percent: 100 })).toBe(false);
    expect(isMassDeletion(100, 100, { ...guard, percent: 100 })).toBe(false);
  });

  it('follows the configured share and minimum', () => {
    expect(isMassDeletion(40, 100, { ...guard, percent: 50 })).toBe(false);
    expect(isMassDeletion(51, 100, { ...guard, percent: 50 })).toBe(true);
    expect(isMassDeletion(2, 10, { ...guard, minRows: 2 })).toBe(true);
    expect(isMassDeletion(2, 2, { ...guard, minRows: 1 })).toBe(true); // floor is min(3, minRows)
  });
});

describe('planSweep', () => {
  it('normal churn is applied at once', () => {
    expect(planSweep(keys(2), [], 100, guard)).toEqual({
      apply: keys(2),
      hold: [],
      confirmed: 0,
      released: 0,
    });
  });

  it('a mass deletion is held, nothing applied', () => {
    expect(planSweep(keys(30), [], 100, guard)).toEqual({
      apply: [],
      hold: keys(30),
      confirmed: 0,
      released: 0,
    });
  });

  it('the next walk missing them again confirms them all', () => {
    expect(planSweep(keys(30), keys(30), 100, guard)).toEqual({
      apply: keys(30),
      hold: [],
      confirmed: 30,
      released: 0,
    });
  });

  it('seen again: released; missed again: applied (a partial confirmation, key by key)', () => {
    const plan = planSweep(keys(10), keys(30), 100, guard);
    expect(plan).toEqual({ apply: keys(10), hold: [], confirmed: 10, released: 20 });
    expect(planSweep([], keys(30), 100, guard)).toEqual({ apply: [], hold: [], confirmed: 0, released: 30 });
  });

  it('keys newly missing next to a hold are judged on their own', () => {
    // 5 confirmed + 2 fresh (churn): all applied.
    expect(planSweep([...keys(5), ...keys(2, 100)], keys(30), 100, guard).apply).toHaveLength(7);
    // 5 confirmed + 40 fresh (mass): the 5 applied, the 40 become the new hold.
    const plan = planSweep([...keys(5), ...keys(40, 100)], keys(30), 100, guard);
    expect(plan).toEqual({ apply: keys(5), hold: keys(40, 100), confirmed: 5, released: 25 });
  });

  it('accepted: everything applied, held keys included', () => {
    const plan = planSweep([...keys(30), ...keys(40, 100)], keys(30), 100, { ...guard, accept: true });
    expect(plan.apply).toHaveLength(70);
    expect(plan.hold).toEqual([]);
  });
});
