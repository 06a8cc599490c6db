/** Runs scenarios one after another, each with its own RNG derived from the seed and its name. */

import type { QueueBackendName } from '../../src/config/variables.ts';
import { scanForSecrets } from '../security/secret-scan.ts';
import { createRng } from './rng.ts';
import { SCENARIOS } from './scenarios/index.ts';
import type { ChaosSize, Scenario, ScenarioOutcome } from './types.ts';

function crashed(scenario: string, err: unknown): ScenarioOutcome {
  const e = err as Error;
  return {
    scenario,
    runs: 0,
    requests: 0,
    faults: 0,
    restarts: 0,
    landed: {},
    problems: [`the scenario itself failed: ${e?.name}: ${e?.message}`],
    sideEffects: 0,
    output: [],
    keys: [],
    cleanup: async () => {},
  };
}

export interface RunOptions {
  size: ChaosSize;
  seed: number;
  only?: string[];
  /** Scenarios run at once (each has its own simulator, database and queue prefix). @default 1 */
  parallel?: number;
  /** False: inject no fault, so every scenario must report that its fault never landed. @default true */
  faults?: boolean;
  /** The queue backend of queued scenarios; `postgres` leaves out the Redis-only ones. @default 'redis' */
  queueBackend?: QueueBackendName;
  note?: (message: string) => void;
}

function hashName(name: string): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export async function runScenarios(opts: RunOptions): Promise<ScenarioOutcome[]> {
  const note = opts.note ?? (() => {});
  // `key-revoked` names both drivers' scenarios, `key-revoked/queue` one of them.
  const named = (s: Scenario, n: string) => s.name === n || s.name.startsWith(`${n}/`);
  const unknown = (opts.only ?? []).filter((n) => !SCENARIOS.some((s) => named(s, n)));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}`);
  const onRedis = (opts.queueBackend ?? 'redis') === 'redis';
  const selected = SCENARIOS.filter(
    (s) => (!opts.only || opts.only.some((n) => named(s, n))) && (onRedis || !s.redisOnly),
  );
  const outcomes: ScenarioOutcome[] = new Array(selected.length);
  let next = 0;
  const lane = async () => {
    while (next < selected.length) {
      const index = next++;
      outcomes[index] = await runOne(selected[index]!, opts, note);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 1) }, lane));
  return outcomes;
}

async function runOne(
  scenario: Scenario,
  opts: RunOptions,
  note: (m: string) => void,
): Promise<ScenarioOutcome> {
  const started = Date.now();
  note(`${scenario.name}: started`);
  const seed = (opts.seed ^ hashName(scenario.name)) >>> 0;
  const disposers: Array<() => Promise<void>> = [];
  let outcome: ScenarioOutcome;
  try {
    outcome = await scenario.run({
      seed,
      size: opts.size,
      rng: createRng(seed),
      faults: opts.faults ?? true,
      queueBackend: opts.queueBackend ?? 'redis',
      track: (dispose) => disposers.push(dispose),
      note: (m) => note(`${scenario.name}: ${m}`),
    });
    outcome.problems.push(...(await scanForSecrets(outcome)));
  } catch (err) {
    outcome = crashed(scenario.name, err);
  } finally {
    for (const dispose of disposers.reverse()) await dispose().catch(() => {});
  }
  const took = ((Date.now() - started) / 1000).toFixed(1);
  note(`${scenario.name}: ${outcome.problems.length === 0 ? 'exact' : 'mismatch'} in ${took} s`);
  return outcome;
}
