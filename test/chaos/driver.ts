/**
 * The two drivers of a run, as a chaos scenario sees them. A scenario written once against
 * `ChaosDriver` runs under both (`bothDrivers`): `inline` — `puffle-sync sync` processes, and the
 * calm runs in this process (runSync); `queue` — `puffle-sync worker` processes taking a queued
 * run's jobs. Either way a run is started in processes the scenario may kill or cut, resumed by
 * the next start, and read back as sync_runs recorded it.
 */
import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { readRunReport, toSyncSummary } from '../../src/jobs/queue/index.ts';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import type { CliResult } from '../helpers/cli.ts';
import { ChaosQueue } from './queue.ts';
import type { Scenario, ScenarioContext, ScenarioOutcome } from './types.ts';
import type { ChaosWorld } from './world.ts';

export type DriverKind = 'inline' | 'queue';

type Env = Record<string, string | undefined>;

/** Partition walks at once: the CLI's --concurrency default, and each worker's (queue.ts). */
const SLOTS_PER_PROCESS = 4;

/** A run going on in processes the scenario may kill or cut. */
export interface LiveRun {
  /** inline: the `sync` process exited; queue: the run left `running` (polled, for wait loops). */
  finished(): boolean;
  /** The same, asked now: before a kill that must land in a live run. */
  isFinished(): Promise<boolean>;
  readonly processes: readonly ChildProcess[];
  /** Requests a revoked key may still get: one per partition slot of the run's processes. */
  readonly slots: number;
  /**
   * Lets go of the run's processes, the ones killed included: inline waits for the `sync` to exit
   * (it ends by itself); queued, the workers are stopped (SIGTERM) and the run waits for the next.
   */
  release(): Promise<{ exits: CliResult[]; completed: boolean }>;
  /** Waits for the run's end (queue: up to `timeoutMs`), releases its processes, reads its record. */
  end(timeoutMs?: number): Promise<{ summary?: SyncSummary; exits: CliResult[] }>;
}

export interface ChaosDriver {
  readonly kind: DriverKind;
  /** Starts the run in progress (or a new one) in `processes` processes (inline: always one; queue: 2 workers by default). */
  start(opts?: { processes?: number; env?: Env }): LiveRun;
  /** The run in progress (or a new one) to its end in a calm world; undefined: not within `timeoutMs`. */
  runToEnd(opts?: { env?: Env; timeoutMs?: number }): Promise<SyncSummary | undefined>;
  /** For the results row: the queue's key prefix, for the secret scan. */
  readonly redisPrefixes?: string[];
  /** queue: the queue itself, for a scenario that adds a run of its own. */
  readonly queue?: ChaosQueue;
}

/** `<name>/inline` and `<name>/queue`: one scenario, run under each driver. */
export function bothDrivers(
  name: string,
  run: (ctx: ScenarioContext, kind: DriverKind, name: string) => Promise<ScenarioOutcome>,
  opts: Pick<Scenario, 'redisOnly'> = {},
): Scenario[] {
  return (['inline', 'queue'] as const).map((kind) => ({
    name: `${name}/${kind}`,
    run: (ctx) => run(ctx, kind, `${name}/${kind}`),
    ...opts,
  }));
}

export async function openDriver(w: ChaosWorld, kind: DriverKind, label: string): Promise<ChaosDriver> {
  return kind === 'inline' ? inlineDriver(w) : queueDriver(await ChaosQueue.open(w, label));
}

function inlineDriver(w: ChaosWorld): ChaosDriver {
  return {
    kind: 'inline',
    start: ({ env } = {}) => {
      const { child, done } = w.start(['sync', '--json'], env);
      let exited = false;
      void done.then(() => (exited = true));
      return {
        finished: () => exited,
        isFinished: async () => exited,
        processes: [child],
        slots: SLOTS_PER_PROCESS,
        release: async () => {
          const exit = await done;
          return { exits: [exit], completed: exit.code === 0 };
        },
        end: async () => {
          const exit = await done;
          return { summary: await newestRun(w), exits: [exit] };
        },
      };
    },
    runToEnd: async ({ env, timeoutMs } = {}) => {
      // A run still going at the deadline is stopped and reported as one that did not end.
      const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
      const summary = await w.syncInProcess({ env, run: { signal } });
      return signal?.aborted ? undefined : summary;
    },
  };
}

function queueDriver(q: ChaosQueue): ChaosDriver {
  let runId: string | undefined;
  const current = async () => {
    if (runId === undefined || (await q.isFinished(runId))) runId = await q.enqueue();
    return runId;
  };
  const start = ({ processes = 2, env }: { processes?: number; env?: Env } = {}): LiveRun => {
    const workers = Array.from({ length: processes }, () => q.startWorker(env));
    const run = current();
    let finished = false;
    const poll = setInterval(
      () => void run.then((id) => q.isFinished(id)).then((f) => (finished ||= f)),
      250,
    );
    poll.unref();
    const release = async () => {
      clearInterval(poll);
      for (const worker of workers) worker.child.kill('SIGTERM');
      const exits = await Promise.all(workers.map((x) => x.done));
      return { exits, completed: await q.isFinished(await run) };
    };
    return {
      finished: () => finished,
      isFinished: async () => finished || q.isFinished(await run),
      processes: workers.map((x) => x.child),
      slots: processes * SLOTS_PER_PROCESS,
      release,
      end: async (timeoutMs = 120_000) => {
        const summary = await q.follow(await run, timeoutMs);
        return { summary, exits: (await release()).exits };
      },
    };
  };
  return {
    kind: 'queue',
    start,
    runToEnd: async ({ env, timeoutMs } = {}) => (await start({ processes: 1, env }).end(timeoutMs)).summary,
    redisPrefixes: [q.prefix],
    queue: q,
  };
}

/** The newest run as sync_runs recorded it. */
async function newestRun(w: ChaosWorld): Promise<SyncSummary | undefined> {
  return w.withDb(async (db) => {
    const [row] = await db.query<{ run_id: string }>(
      sql`select run_id from puffle.sync_runs where stream = '*' order by started_at desc limit 1`,
    );
    return row ? toSyncSummary(row.run_id, await readRunReport(db, row.run_id)) : undefined;
  });
}
