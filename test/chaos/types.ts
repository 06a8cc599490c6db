/** What a chaos scenario is given and what it reports (one row of the results table). */
import type { QueueBackendName } from '../../src/config/variables.ts';
import type { Rng } from './rng.ts';

export type ChaosSize = 'small' | 'full';

/**
 * What a scenario does to the sync. A fault counts as landed only when it reached the sync: a
 * kill of a live process, a cut of a connection the sync held, a revocation mid-run, an HTTP fault
 * served, a source mutation made while the walk ran, a bad record the sync stored or rejected, a
 * second run started while the first was live.
 */
export type FaultKind =
  | 'kill'
  | 'pg-cut'
  | 'redis-cut'
  | 'revocation'
  | 'http'
  | 'mutation'
  | 'bad-record'
  | 'overlap';

export interface ScenarioContext {
  seed: number;
  size: ChaosSize;
  rng: Rng;
  /**
   * False only to prove the harness: the scenario runs without injecting its fault and must then
   * report a mismatch ("no … landed"). @default true
   */
  faults: boolean;
  /** Where queued scenarios keep their queue, budget and run flags. @default 'redis' */
  queueBackend?: QueueBackendName;
  /** Registers a disposer the runner calls after the scenario, whatever happened. */
  track(dispose: () => Promise<void>): void;
  /** Progress notes for the operator (stderr); never assertions. */
  note(message: string): void;
}

export interface ScenarioOutcome {
  scenario: string;
  /** Sync runs started (processes or in-process runs), including killed ones. */
  runs: number;
  /** Requests the simulator received. */
  requests: number;
  /** HTTP faults served plus kills, connection terminations and revocations. */
  faults: number;
  /** Processes killed / connections cut that the pipeline had to recover from. */
  restarts: number;
  /** Faults that landed, by kind; every scenario requires its own kinds to be above 0. */
  landed: Partial<Record<FaultKind, number>>;
  /** Empty when every table matched and every extra check held. */
  problems: string[];
  /** Side-effect calls the simulator counted (must be 0). */
  sideEffects: number;
  /** Everything the processes wrote (stdout, stderr, pino lines), for the secret scan. */
  output: string[];
  /** Recognisable keys used, for the secret scan. */
  keys: string[];
  /** Database URL and Redis prefixes the scenario used; kept until the scan ran. */
  databaseUrl?: string;
  redisPrefixes?: string[];
  /** Drops the database the scenario used (after scans). */
  cleanup(): Promise<void>;
}

export interface Scenario {
  name: string;
  /** `inline` scenarios need Postgres; `queue` scenarios also need their queue backend. */
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
  /** Its fault is Redis itself (cut Redis connections): it runs only under the Redis backend. */
  redisOnly?: boolean;
}
