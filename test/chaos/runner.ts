/** Runs scenarios one after another, each with its own RNG derived from the seed and its name. */

import { scanForSecrets } from '../security/secret-scan.ts';
import { createRng } from './rng.ts';
import { SCENARIOS } from './scenarios/index.ts';
import type { ChaosSize, ScenarioOutcome } from './types.ts';

export interface RunOptions {
  size: ChaosSize;
  seed: number;
  only?: string[];
  note?: (message: string) => void;
}

function hashName(name: string): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export async function runScenarios(opts: RunOptions): Promise<ScenarioOutcome[]> {
  const note = opts.note ?? (() => {});
  const unknown = (opts.only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}`);
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of SCENARIOS) {
    if (opts.only && !opts.only.includes(scenario.name)) continue;
    const started = Date.now();
    note(`${scenario.name}: started`);
    const seed = (opts.seed ^ hashName(scenario.name)) >>> 0;
    const outcome = await scenario.run({
      seed,
      size: opts.size,
      rng: createRng(seed),
      note: (m) => note(`${scenario.name}: ${m}`),
    });
    try {
      outcome.problems.push(...(await scanForSecrets(outcome)));
    } finally {
      await outcome.cleanup();
    }
    note(
      `${scenario.name}: ${outcome.problems.length === 0 ? 'exact' : 'mismatch'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    outcomes.push(outcome);
  }
  return outcomes;
}
