/**
 * The harness proves its own chaos: with its fault disabled, a scenario that would otherwise end
 * exact reports a mismatch because its fault never landed. pg-terminate is the example: without
 * the connection cuts its sync runs clean and the tables match, yet the scenario must fail.
 */
import { describe, expect, it } from 'vitest';
import { runScenarios } from './runner.ts';
import { formatResults, resultOf } from './table.ts';

describe('a chaos scenario with its fault disabled', () => {
  it('fails, saying its fault never landed', { timeout: 120_000 }, async () => {
    const [outcome] = await runScenarios({
      size: 'small',
      seed: 20261128,
      only: ['pg-terminate/inline'],
      faults: false,
    });
    const table = formatResults(outcome ? [outcome] : []);
    expect(outcome && resultOf(outcome), table).toBe('mismatch');
    expect(outcome?.problems, table).toEqual(['no pg-cut fault landed: the scenario ran without its chaos']);
    expect(outcome?.faults).toBe(0);
  });
});
