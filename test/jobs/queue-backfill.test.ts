/**
 * Backfill of signals by monthly windows: the regular sync's incremental state is untouched, no
 * duplicates, and an interrupted backfill re-run resumes (finished windows are not fetched again).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enqueueRun,
  followRun,
  monthlyWindows,
  openSyncQueue,
  type SyncQueue,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, getState, migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { QUEUE_BACKEND_NAMES, type QueueTarget, queueConfig, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_queueBackfillKey0123';

describe.each(QUEUE_BACKEND_NAMES)('backfill, queue on %s', (backend) => {
  let sim: Simulator;
  const cleanups: Array<() => Promise<unknown>> = [];

  async function setup(label: string) {
    const pg = await createTestDatabase(label);
    const target: QueueTarget = { sim, databaseUrl: pg.url, prefix: uniquePrefix(label), key: KEY, backend };
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    const sq: SyncQueue = openSyncQueue(queueConfig(target));
    cleanups.push(async () => {
      await sq.queue.obliterate({ force: true }).catch(() => {});
      await sq.close();
      await db.close();
      await pg.drop();
    });
    return { target, db, sq };
  }

  function windowsCoveringSignals() {
    let oldest = Date.now();
    for (const { record } of sim.expected('signals')) {
      oldest = Math.min(oldest, Date.parse(String(record.created_at ?? record.createdAt)));
    }
    return monthlyWindows(new Date(oldest), new Date(Date.now() + 86_400_000));
  }

  async function signalCounts(db: Database) {
    const [row] = await db.query<{ n: number; ids: number }>(
      sql`select count(*)::int as n, count(distinct id)::int as ids from puffle.signals`,
    );
    return row!;
  }

  beforeAll(async () => {
    sim = await startSimulator({ scale: 300, seed: 4, keys: [KEY], rateLimit: null });
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await sim?.close();
  });

  it('walks signals window by window without moving the incremental state, and leaves no duplicates', async () => {
    const { target, db, sq } = await setup('backfill');
    const worker = await startSyncWorker({
      config: queueConfig(target),
      logger: silentLogger,
      concurrency: 3,
    });
    cleanups.push(() => worker.close({ timeoutMs: 5000 }));
    const regular = await followRun(db, await enqueueRun(sq.queue, { streams: ['signals'] }), { pollMs: 50 });
    expect(regular.status).toBe('succeeded');
    const before = await getState(db, 'signals', '');
    expect(before?.highWater).toBeTruthy();

    const windows = windowsCoveringSignals();
    expect(windows.length).toBeGreaterThan(2);
    sim.resetLog();
    const runId = await enqueueRun(sq.queue, { streams: ['signals'], windows });
    const summary = await followRun(db, runId, { pollMs: 50 });
    expect(summary.status).toBe('succeeded');
    expect(await getState(db, 'signals', '')).toEqual(before);
    const diff = await diffTable(db, sim, 'signals');
    expect(isExact(diff), describeDiff(diff)).toBe(true);
    expect(await signalCounts(db)).toEqual({ n: sim.count('signals'), ids: sim.count('signals') });
    const [trigger] = await db.query<{ trigger: string }>(
      sql`select trigger from puffle.sync_runs where run_id = ${runId} and stream = '*'`,
    );
    expect(trigger?.trigger).toBe('backfill');
    // Every request carried its window's lower bound.
    expect(sim.requests.every((r) => r.path !== '/api/signals' || r.query.since !== undefined)).toBe(true);
  });

  it('resumes an interrupted backfill: finished windows are not walked again', async () => {
    const { target, db, sq } = await setup('backfill_resume');
    const windows = windowsCoveringSignals();
    sim.setLatency(20);
    sim.resetLog();
    const first = await startSyncWorker({
      config: queueConfig(target),
      logger: silentLogger,
      concurrency: 1,
    });
    const firstRun = await enqueueRun(sq.queue, { streams: ['signals'], windows });
    const completeWindows = async () =>
      (
        await db.query<{ n: number }>(
          sql`select count(*)::int as n from puffle.sync_state where stream = 'signals' and partition like '@%' and complete`,
        )
      )[0]!.n;
    await waitFor(async () => (await completeWindows()) >= 2, 30_000, 'two windows done');
    expect(await first.close({ timeoutMs: 5000 })).toBe(true);
    const doneBefore = await completeWindows();
    expect(doneBefore).toBeLessThan(windows.length);
    const walkedBefore = sim.requests.length;

    sim.setLatency(0);
    const second = await startSyncWorker({
      config: queueConfig(target),
      logger: silentLogger,
      concurrency: 3,
    });
    cleanups.push(() => second.close({ timeoutMs: 5000 }));
    const secondRun = await enqueueRun(sq.queue, { streams: ['signals'], windows });
    expect((await followRun(db, secondRun, { pollMs: 50 })).status).toBe('succeeded');
    expect((await followRun(db, firstRun, { pollMs: 50 })).status).toBe('succeeded');
    expect(await completeWindows()).toBe(windows.length);
    expect(await signalCounts(db)).toEqual({ n: sim.count('signals'), ids: sim.count('signals') });

    // The windows finished before the interruption were not requested again.
    const firstPages = new Map<string, number>();
    for (const r of sim.requests.slice(0, walkedBefore)) {
      if (r.path === '/api/signals' && r.status === 200 && !r.query.cursor) firstPages.set(r.query.since!, 1);
    }
    const restarted = sim.requests
      .slice(walkedBefore)
      .filter((r) => r.path === '/api/signals' && !r.query.cursor && firstPages.has(r.query.since!));
    // At most the window in flight at the interruption starts again from its first page.
    expect(restarted.length).toBeLessThanOrEqual(1);
  });
});
