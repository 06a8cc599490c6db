/**
 * One scenario's world: a seeded simulator, a fresh Postgres database, the CLI run against them
 * (or runSync in this process), the oracle diff, and the counters that make a results row.
 * Every byte the sync writes (stdout, stderr, pino lines) is kept for the secret scan.
 */

import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import type { QueueBackendName } from '../../src/config/variables.ts';
import {
  type ChildTableName,
  getStream,
  STREAM_NAMES,
  STREAMS,
  type StreamName,
} from '../../src/extract/streams.ts';
import { type RunSyncOptions, runSync, type SyncSummary } from '../../src/jobs/run-sync.ts';
import { openRuntime } from '../../src/jobs/runtime.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { createLogger } from '../../src/log.ts';
import {
  type FaultRule,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';
import { type CliResult, runCli, startCli } from '../helpers/cli.ts';
import { groupEnv } from '../helpers/commit-group.ts';
import {
  describeDiff,
  diffChildTable,
  diffTable,
  isExact,
  type TableDiff,
} from '../helpers/compare-tables.ts';
import { createTestDatabase, testRedisUrl } from '../helpers/services.ts';
import { killRedisClientsOf, terminatePostgresClientsOf } from './connections.ts';
import type { FaultKind, ScenarioContext, ScenarioOutcome } from './types.ts';

export interface WorldOptions {
  label: string;
  seed: number;
  scale: number;
  /** @default one recognisable key per world */
  keys?: string[];
  sim?: Partial<SimulatorOptions>;
  /** Load into embedded PGlite in this directory instead of the world's Postgres database. */
  dataDir?: string;
}

/** Keys are recognisable on purpose: the secret scan greps every output for them. */
export function chaosKey(label: string, seed: number, n = 0): string {
  return `pk_live_CHAOSCANARY_${label.replace(/[^A-Za-z0-9]/g, '')}_${seed}_${n}`;
}

/** Tables filled from streams' nested arrays (list_cells), compared like the stream tables. */
const CHILD_TABLES: ChildTableName[] = STREAMS.flatMap((s) => (s.children ?? []).map((c) => c.table));

export class ChaosWorld {
  readonly output: string[] = [];
  readonly problems: string[] = [];
  readonly keys: string[];
  runs = 0;
  restarts = 0;
  /** Faults the harness injected outside HTTP (kills, terminations, revocations). */
  injected = 0;
  /** Landed faults by kind (HTTP faults are counted from the simulator's log at the end). */
  private readonly landed: Partial<Record<FaultKind, number>> = {};
  /** Index into sim.requests where the current resume chain began (for re-fetch counting). */
  private chainStart = 0;
  private readonly cleanups: Array<() => Promise<unknown>> = [];
  private readonly children = new Set<import('node:child_process').ChildProcess>();
  private disposing: Promise<void> | undefined;

  private constructor(
    readonly sim: Simulator,
    readonly databaseUrl: string,
    private readonly drop: () => Promise<void>,
    keys: string[],
    /** False: every injection below does nothing (see ScenarioContext.faults). */
    readonly faultsOn: boolean,
    /** Set when the world loads into embedded PGlite instead of Postgres. */
    readonly dataDir?: string,
    /** Where ChaosQueue puts the queue (see ScenarioContext.queueBackend). */
    readonly queueBackend: QueueBackendName = 'redis',
  ) {
    this.keys = keys;
  }

  /** `ctx.track` lets the runner dispose the world even when the scenario throws. */
  static async open(
    ctx: Pick<ScenarioContext, 'track'> & Partial<Pick<ScenarioContext, 'faults' | 'queueBackend'>>,
    opts: WorldOptions,
  ): Promise<ChaosWorld> {
    const keys = opts.keys ?? [chaosKey(opts.label, opts.seed)];
    const sim = await startSimulator({
      scale: opts.scale,
      seed: opts.seed,
      keys,
      rateLimit: null,
      ...opts.sim,
    });
    try {
      const pg = await createTestDatabase(`chaos_${opts.label}`);
      const world = new ChaosWorld(
        sim,
        pg.url,
        pg.drop,
        keys,
        ctx.faults ?? true,
        opts.dataDir,
        ctx.queueBackend,
      );
      ctx.track(() => world.dispose());
      return world;
    } catch (err) {
      await sim.close();
      throw err;
    }
  }

  get key(): string {
    return this.sim.keys[0] ?? this.keys[0]!;
  }

  /** The database name (for pg_stat_activity filters). */
  get databaseName(): string {
    return new URL(this.databaseUrl).pathname.slice(1);
  }

  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      PUFFLE_API_KEY: this.key,
      PUFFLE_API_BASE_URL: this.sim.url,
      DATABASE_URL: this.dataDir ? undefined : this.databaseUrl,
      PUFFLE_SYNC_DATA_DIR: this.dataDir,
      PUFFLE_RATE_LIMIT_PER_MIN: '60000',
      PUFFLE_ENRICHMENT_RUN_IDS: this.sim.enrichmentRunIds.join(','),
      // Every stream, the opt-in ones too, so the chaos covers them (and compares them below).
      PUFFLE_SYNC_STREAMS: STREAM_NAMES.join(','),
      PUFFLE_REQUEST_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'debug',
      ...groupEnv,
      // Inline syncs then keep their request budget in Postgres too (PGlite worlds have no queue).
      PUFFLE_QUEUE_BACKEND: this.queueBackend === 'postgres' && !this.dataDir ? 'postgres' : undefined,
      ...extra,
    };
  }

  useKey(key: string): void {
    if (!this.keys.includes(key)) this.keys.push(key);
  }

  /** Runs the CLI to completion. */
  async cli(args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
    this.runs += 1;
    const res = await runCli(args, this.env(extra));
    this.record(res);
    return res;
  }

  /** Starts the CLI; the caller decides when (or whether) to kill it. */
  start(args: string[], extra: Record<string, string | undefined> = {}) {
    this.runs += 1;
    const started = startCli(args, this.env(extra));
    this.children.add(started.child);
    const done = started.done.then((res) => {
      this.children.delete(started.child);
      this.record(res);
      return res;
    });
    return { child: started.child, done };
  }

  private record(res: CliResult): void {
    this.output.push(res.stdout, res.stderr);
  }

  /** A logger whose lines land in `output`. */
  captureLogger() {
    const output = this.output;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        output.push(String(chunk));
        cb();
      },
    });
    return createLogger({ level: 'debug', destination: sink as never });
  }

  /** runSync in this process with config from the same environment the CLI would get. */
  async syncInProcess(
    opts: { env?: Record<string, string | undefined>; run?: Partial<RunSyncOptions> } = {},
  ): Promise<SyncSummary> {
    this.runs += 1;
    const env = this.env(opts.env);
    const config = loadConfig(env, { requireKey: true });
    const logger = this.captureLogger();
    const runtime = await openRuntime(config, logger, { apiKey: config.apiKey! });
    try {
      return await runSync(
        { db: runtime.db, client: runtime.client, logger },
        {
          streams: STREAM_NAMES as StreamName[],
          enrichmentRunIds: config.enrichmentRunIds,
          lookbackMs: config.signalsLookbackMs,
          concurrency: 4,
          ...opts.run,
        },
      );
    } finally {
      await runtime.close();
    }
  }

  async withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(
      this.dataDir
        ? { dataDir: this.dataDir, schema: 'puffle' }
        : { databaseUrl: this.databaseUrl, dataDir: '', schema: 'puffle' },
    );
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  /** Every table against the simulator; `allow` excuses keys a scenario expects to differ. */
  async diff(allow: (d: TableDiff, key: string) => boolean = () => false): Promise<string[]> {
    const audit = await this.auditProblems();
    return this.withDb(async (db) => {
      const out: string[] = [...audit];
      for (const name of STREAM_NAMES) {
        const d = await diffTable(db, this.sim, name);
        // `once` streams (lead_search_results) keep the rows of tasks Puffle stopped listing,
        // like the `accumulate` parent they hang off; compare-tables only exempts the parent.
        const listed = new Set(getStream(name).parent?.once ? this.sim.partitions(name) : []);
        const unlisted = (k: string) => listed.size > 0 && !listed.has(k.split('|')[0]!);
        const keep = (k: string) => !allow(d, k);
        const left = {
          ...d,
          missing: d.missing.filter(keep),
          extra: d.extra.filter((k) => keep(k) && !unlisted(k)),
          changed: d.changed.filter(keep),
        };
        if (!isExact(left)) out.push(describeDiff(left));
      }
      for (const table of CHILD_TABLES) {
        const d = await diffChildTable(db, this.sim, table);
        const keep = (k: string) => !allow(d, k);
        const left = {
          ...d,
          missing: d.missing.filter(keep),
          extra: d.extra.filter(keep),
          changed: d.changed.filter(keep),
        };
        if (!isExact(left)) out.push(describeDiff(left));
      }
      return out;
    });
  }

  /**
   * The audit trail after the last run: no run or stream row is left `running` (a dead process's
   * run is resumed or closed by the next one), every finished row has `finished_at`, and the
   * newest run says `succeeded`.
   */
  async auditProblems(): Promise<string[]> {
    return this.withDb(async (db) => {
      const rows = await db.query<{ run_id: string; stream: string; status: string; finished: boolean }>(
        sql`select run_id, stream, status, finished_at is not null as finished from puffle.sync_runs`,
      );
      const out: string[] = [];
      const running = rows.filter((r) => r.status === 'running');
      if (running.length > 0)
        out.push(
          `sync_runs: ${running.length} row(s) still running, e.g. ${running[0]!.run_id}/${running[0]!.stream}`,
        );
      const unfinished = rows.filter((r) => r.status !== 'running' && !r.finished);
      if (unfinished.length > 0)
        out.push(`sync_runs: ${unfinished.length} finished row(s) without finished_at`);
      const [last] = await db.query<{ status: string }>(
        sql`select status from puffle.sync_runs where stream = '*' order by started_at desc limit 1`,
      );
      if (last && last.status !== 'succeeded') out.push(`sync_runs: the newest run is ${last.status}`);
      return out;
    });
  }

  /** Successful page requests repeated since the current resume chain began. */
  refetches(): number {
    const seen = new Map<string, number>();
    for (const r of this.sim.requests.slice(this.chainStart)) {
      if (r.status !== 200) continue;
      const k = `${r.path}?${new URLSearchParams(r.query).toString()}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    return [...seen.values()].reduce((n, c) => n + (c - 1), 0);
  }

  /** A run completed: later re-fetches belong to a new chain. */
  newChain(): void {
    this.chainStart = this.sim.requests.length;
  }

  /** Records `n` faults of `kind` that reached the sync. */
  land(kind: FaultKind, n = 1): void {
    if (n <= 0) return;
    this.landed[kind] = (this.landed[kind] ?? 0) + n;
    this.injected += n;
  }

  /** SIGKILLs `child` if it still runs; true when the kill landed. */
  kill(child: ChildProcess): boolean {
    if (!this.faultsOn || child.exitCode !== null || child.signalCode !== null) return false;
    if (!child.kill('SIGKILL')) return false;
    this.land('kill');
    this.restarts += 1;
    return true;
  }

  /** Terminates the Postgres connections processes `pids` hold to this world's database. */
  async cutPostgres(admin: pg.Client, pids: readonly (number | undefined)[]): Promise<number> {
    if (!this.faultsOn) return 0;
    const cut = await terminatePostgresClientsOf(
      admin,
      this.databaseName,
      pids.filter((p): p is number => p !== undefined),
    );
    if (cut > 0) {
      this.land('pg-cut', cut);
      this.restarts += 1;
    }
    return cut;
  }

  /** Kills the Redis connections process `pid` holds. */
  async cutRedis(admin: Redis, pid: number | undefined): Promise<number> {
    if (!this.faultsOn || pid === undefined) return 0;
    const cut = await killRedisClientsOf(admin, pid);
    if (cut > 0) {
      this.land('redis-cut', cut);
      this.restarts += 1;
    }
    return cut;
  }

  /** Revokes `key` at the simulator. */
  revoke(key: string): void {
    if (!this.faultsOn) return;
    this.sim.revokeKey(key);
    this.land('revocation');
  }

  /** Arms the simulator's HTTP faults (served faults are counted from its log). */
  serveFaults(rules: FaultRule[]): void {
    if (this.faultsOn) this.sim.setFaults(rules);
  }

  get httpFaults(): number {
    return this.sim.requests.filter((r) => r.fault !== undefined).length;
  }

  /**
   * The results row. `expects`: the fault kinds this scenario injects; each must have landed, or
   * the scenario proved nothing (it ran without its chaos) and reports a mismatch.
   */
  outcome(
    scenario: string,
    expects: readonly [FaultKind, ...FaultKind[]],
    extra: { redisPrefixes?: string[] } = {},
  ): ScenarioOutcome {
    const landed = { ...this.landed };
    if (this.httpFaults > 0) landed.http = this.httpFaults;
    // First in the list: without its fault, the scenario's other findings say little.
    const problems = [
      ...expects
        .filter((kind) => !landed[kind])
        .map((kind) => `no ${kind} fault landed: the scenario ran without its chaos`),
      ...this.problems,
    ];
    return {
      scenario,
      runs: this.runs,
      requests: this.sim.requestCount,
      faults: this.httpFaults + this.injected,
      restarts: this.restarts,
      landed,
      problems,
      sideEffects: this.sim.sideEffectCalls,
      output: this.output,
      keys: [...this.keys],
      databaseUrl: this.dataDir ? undefined : this.databaseUrl,
      redisPrefixes: extra.redisPrefixes,
      cleanup: () => this.dispose(),
    };
  }

  /** Runs at dispose time, before the simulator and database go (e.g. closing a queue). */
  onCleanup(fn: () => Promise<unknown>): void {
    this.cleanups.push(fn);
  }

  /** Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const child of this.children) child.kill('SIGKILL');
      for (const fn of this.cleanups.reverse()) await fn().catch(() => {});
      await this.sim.close();
      await this.drop();
    })();
    return this.disposing;
  }

  /** Adds `problem` unless `ok`. */
  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }
}

export { testRedisUrl };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the simulator has received `n` more requests (or `stop()` says to give up). */
export async function waitForRequests(sim: Simulator, n: number, stop: () => boolean): Promise<void> {
  const start = sim.requestCount;
  while (sim.requestCount - start < n && !stop()) await sleep(5);
}
