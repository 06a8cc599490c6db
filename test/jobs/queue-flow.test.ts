/**
 * The distributed mode in one process: a run fans out into stream and partition jobs, parents
 * before children, and lands exactly what the simulator serves; overlapping runs never put two
 * jobs on one partition; a rejected key fails the run and stops its other jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import {
  collectStatus,
  enqueueRun,
  followRun,
  openSyncQueue,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { type QueueTarget, queueConfig } from './queue-helpers.ts';

const KEY = 'pk_live_queueFlowKey0123456';

describe('queued sync (in-process worker)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;
  let target: QueueTarget;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 300, seed: 5, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('queue_flow');
    target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('flow'), key: KEY };
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    sq = openSyncQueue(queueConfig(target));
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('runs every stream through run → stream → partition jobs and lands exact tables', async () => {
    worker = await startSyncWorker({ config: queueConfig(target), logger: silentLogger, concurrency: 4 });
    const runId = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status, JSON.stringify(summary.streams.filter((s) => s.status !== 'succeeded'))).toBe(
      'succeeded',
    );
    expect(summary.streams).toHaveLength(STREAM_NAMES.length);
    for (const name of STREAM_NAMES) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
    expect(sim.sideEffectCalls).toBe(0);
    expect(worker.processed().partition).toBeGreaterThan(STREAM_NAMES.length);
    const status = await collectStatus(db, sq.queue);
    const campaigns = status.streams.find((s) => s.stream === 'campaigns')!;
    expect(campaigns.lastRun?.status).toBe('succeeded');
    expect(campaigns.rows).toBe(sim.count('campaigns'));
    expect(status.queue?.active).toBe(0);
  });

  it('overlapping runs share the work: one job per (stream, partition), both runs complete exactly', async () => {
    const single = worker!.processed().partition ?? 0;
    const [a, b] = await Promise.all([
      enqueueRun(sq.queue, { streams: [...STREAM_NAMES] }),
      enqueueRun(sq.queue, { streams: [...STREAM_NAMES] }),
    ]);
    const [ra, rb] = await Promise.all([
      followRun(db, a, { pollMs: 100 }),
      followRun(db, b, { pollMs: 100 }),
    ]);
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    for (const name of STREAM_NAMES) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
    // A partition queued by one run is not queued again by the other while in flight.
    const both = (worker!.processed().partition ?? 0) - single;
    expect(both).toBeLessThan(2 * single);
  });

  it('a rejected key fails the run at once and stops its other jobs before they call Puffle', async () => {
    sim.revokeKey(KEY);
    sim.resetLog();
    try {
      const runId = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
      const summary = await followRun(db, runId, { pollMs: 100 });
      expect(summary.status).toBe('failed');
      expect(summary.error?.name).toBe('AuthRejectedError');
      // Only the jobs already running when the first 401 came back (concurrency 4) called Puffle.
      expect(sim.requests.filter((r) => r.status === 401).length).toBeLessThanOrEqual(4);
      expect(sim.requests.length).toBe(sim.requests.filter((r) => r.status === 401).length);
      const status = await collectStatus(db);
      expect(status.queue).toBeUndefined();
      expect(status.streams.find((s) => s.stream === 'account')?.lastError?.name).toBe('AuthRejectedError');
    } finally {
      sim.addKey(KEY);
    }
  });
});
