/**
 * The chaos harness at its small size inside `npm test`: every scenario (three at a time), each
 * compared table by table with the simulator, scanned for the API key, and checked for calls to
 * endpoints that change data — and each must show that its own faults landed. `npm run chaos`
 * runs the full size with the same checks.
 */
import { describe, expect, it } from 'vitest';
import { runScenarios } from './runner.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { formatResults, landedText, resultOf } from './table.ts';

describe('chaos harness (small)', () => {
  it('ends every scenario exact, with its faults landed, no leaked key and no side effects', {
    // 17 scenarios, three at a time, on a shared 2-core machine (the hostile-source pair adds ~1 min).
    timeout: 360_000,
  }, async () => {
    const outcomes = await runScenarios({ size: 'small', seed: 20261128, parallel: 3 });
    const table = formatResults(outcomes);
    expect(outcomes.map((o) => o.scenario)).toEqual(SCENARIOS.map((s) => s.name));
    for (const o of outcomes) {
      expect(o.sideEffects, `${o.scenario} side effects\n${table}`).toBe(0);
      expect(o.faults, `${o.scenario}: no fault landed\n${table}`).toBeGreaterThan(0);
      expect(landedText(o), `${o.scenario}: no fault kind landed\n${table}`).not.toBe('none');
    }
    expect(
      outcomes.filter((o) => resultOf(o) !== 'exact').map((o) => o.scenario),
      table,
    ).toEqual([]);
  });
});
