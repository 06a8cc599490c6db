/**
 * Worker processes (`node bin/puffle-sync.js worker`) on one queue backend and one Postgres —
 * every check under both backends (Redis; the warehouse's Postgres with no REDIS_URL at all):
 * three of them share a run within the request budget; one SIGKILLed mid-run costs nothing but
 * a retake of its jobs from their checkpoints; SIGTERM stops within the bound at a page boundary
 * and the run finishes later.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STREAMS, STREAM_NAMES } from '../../src/extract/streams.ts';
import { enqueueRun, followRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { refetchBound } from '../helpers/commit-group.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import {
  QUEUE_BACKEND_NAMES,
  type QueueTarget,
  queueConfig,
  queueEnv,
  refetches,
  startWorkerProcess,
  type WorkerProcess,
  waitFor,
} from './queue-helpers.ts';

const KEY = 'pk_live_queueWorkersKey01234';
const PER_MINUTE = 6000;

async function expectExact(db: Database, sim: Simulator) {
  const bad: string[] = [];
  // The default selection: what `sync --queue` enqueues (opt-in streams stay off).
  for (const name of DEFAULT_STREAMS) {
    const d = await diffTable(db, sim, name);
    if (!isExact(d)) bad.push(describeDiff(d));
  }
  expect(bad).toEqual([]);
}

describe.each(QUEUE_BACKEND_NAMES)('worker processes, queue on %s', (backend) => {
  let sim: Simulator;
  const dbs: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];
  const open: Array<{ close(): Promise<unknown> }> = [];
  const workers: WorkerProcess[] = [];

  async function setup(label: string) {
    const pg = await createTestDatabase(label);
    dbs.push(pg);
    const target: QueueTarget = {
      sim,
      databaseUrl: pg.url,
      prefix: uniquePrefix(label),
      key: KEY,
      perMinute: PER_MINUTE,
      backend,
    };
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    const sq: SyncQueue = openSyncQueue(queueConfig(target));
    open.push(db, {
      close: async () => {
        await sq.queue.obliterate({ force: true }).catch(() => {});
        await sq.close();
      },
    });
    return { target, db, sq };
  }
  function worker(target: QueueTarget, args: string[] = []) {
    const w = startWorkerProcess(target, args);
    workers.push(w);
    return w;
  }

  beforeAll(async () => {
    // The simulator's limit equals the workers' shared budget: pacing alone must avoid 429s.
    sim = await startSimulator({
      scale: 300,
      seed: 9,
      keys: [KEY],
      rateLimit: { limit: PER_MINUTE, windowMs: 60_000 },
    });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.done));
    for (const o of open.reverse()) await o.close().catch(() => {});
    await sim?.close();
    for (const pg of dbs) await pg.drop();
  });

  it('three workers complete a run exactly, within the budget, each doing part of it; one SIGKILLed mid-run changes nothing', async () => {
    const { target, db, sq } = await setup('workers3');
    const pool = [worker(target), worker(target), worker(target)];
    await Promise.all(pool.map((w) => w.ready));
    sim.setLatency(10);
    sim.resetLog();
    // `sync --queue --wait` enqueues (no key needed there) and follows the run to its end.
    const cli = await runCli(['sync', '--queue', '--wait', '--json'], {
      ...queueEnv(target),
      PUFFLE_API_KEY: undefined,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const summary = JSON.parse(cli.stdout);
    expect(summary.status).toBe('succeeded');
    expect(summary.streams).toHaveLength(DEFAULT_STREAMS.length);
    await expectExact(db, sim);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(0);

    // `status` reports from Postgres alone without a queue backend, and adds the queue with one.
    const pgOnly = await runCli(['status', '--json'], {
      ...queueEnv(target),
      REDIS_URL: undefined,
      PUFFLE_QUEUE_BACKEND: undefined,
    });
    expect(pgOnly.code, pgOnly.stderr).toBe(0);
    const report = JSON.parse(pgOnly.stdout);
    expect(report.queue).toBeUndefined();
    const leads = report.streams.find((s: { stream: string }) => s.stream === 'leads');
    expect(leads).toMatchObject({
      rows: sim.count('leads'),
      deletedRows: 0,
      lastRun: { runId: summary.runId, status: 'succeeded' },
    });
    expect(leads.ageSeconds).toBeGreaterThanOrEqual(0);
    const withQueue = await runCli(['status'], queueEnv(target));
    expect(withQueue.code, withQueue.stderr).toBe(0);
    expect(withQueue.stdout).toMatch(/queue: .*active 0/);
    expect(
      pool.map((w) => w.completed()).every((n) => n > 0),
      pool.map((w) => w.completed()).join(','),
    ).toBe(true);
    expect(sim.sideEffectCalls).toBe(0);

    // Second run: SIGKILL one worker while it holds jobs; the others retake them after the lock expires.
    sim.setLatency(25);
    sim.resetLog();
    const before = pool.map((w) => w.completed());
    const second = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
    await waitFor(
      () => sim.requestCount > 10 && pool[0]!.completed() > before[0]!,
      30_000,
      'worker 0 mid-run',
    );
    pool[0]!.child.kill('SIGKILL');
    await pool[0]!.done;
    const after = await followRun(db, second, { pollMs: 100 });
    expect(after.status).toBe('succeeded');
    await expectExact(db, sim);
    // Each killed job re-fetches at most one commit group.
    expect(refetches(sim)).toBeLessThanOrEqual(refetchBound(1));
    expect(pool[1]!.completed() + pool[2]!.completed()).toBeGreaterThan(before[1]! + before[2]!);
    for (const w of pool.slice(1)) w.child.kill('SIGTERM');
    await Promise.all(pool.map((w) => w.done));
  });

  it('SIGTERM stops within the bound at a page boundary; the run resumes with the next worker', async () => {
    const { target, db, sq } = await setup('sigterm');
    const first = worker(target, ['--shutdown-timeout', '10', '--port', '0']);
    await first.ready;
    await waitFor(() => first.log().includes('serving /healthz'), 10_000, 'the health endpoint');
    const port = Number(/"port":(\d+)[^\n]*serving \/healthz/.exec(first.log())![1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    sim.setLatency(25);
    sim.resetLog();
    const runId = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
    await waitFor(() => sim.requestCount > 40, 30_000, 'the run to be under way');
    const t0 = Date.now();
    first.child.kill('SIGTERM');
    const res = await first.done;
    const stopMs = Date.now() - t0;
    expect(res.code, res.stderr).toBe(0);
    expect(stopMs).toBeLessThan(10_000);

    // Rows are exactly the committed pages: nothing half-written.
    const states = await db.query<{ stream: string; pages: number; complete: boolean }>(
      sql`select stream, pages::int as pages, complete from puffle.sync_state where stream in ('leads', 'threads') and partition = ''`,
    );
    for (const s of states) {
      const [{ n }] = (await db.query<{ n: number }>(
        sql.raw(`select count(*)::int as n from puffle."${s.stream}"`),
      )) as [{ n: number }];
      if (s.complete) expect(n).toBe(sim.count(s.stream as 'leads'));
      else expect(n).toBe(s.pages * 100);
    }
    const [run] = await db.query<{ status: string }>(
      sql`select status from puffle.sync_runs where run_id = ${runId} and stream = '*'`,
    );
    expect(run?.status).toBe('running');

    sim.setLatency(0);
    const second = worker(target);
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status).toBe('succeeded');
    await expectExact(db, sim);
    expect(refetches(sim)).toBeLessThanOrEqual(refetchBound(1));
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
    // Workers never print the API key, whatever they log.
    for (const w of workers) expect(w.log()).not.toContain(KEY);
  });
});
