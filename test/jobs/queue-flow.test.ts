/**
 * The distributed mode in one process: a run fans out into stream and partition jobs, parents
 * before children, and lands exactly what the simulator serves; overlapping runs never put two
 * jobs on one partition; a rejected key fails the run and stops its other jobs.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRejectedError } from '../../src/extract/index.ts';
import { getStream, STREAM_NAMES } from '../../src/extract/streams.ts';
import { openPartitionLocks, partitionLockKey } from '../../src/jobs/partition-locks.ts';
import {
  enqueueRun,
  followRun,
  openSyncQueue,
  readRunReport,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { collectStatus } from '../../src/jobs/status/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { dumpRedis, type QueueTarget, queueConfig, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_queueFlowKey0123456';

describe('queued sync (in-process worker)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;
  let target: QueueTarget;
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });

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
    worker = await startSyncWorker({ config: queueConfig(target), logger, concurrency: 4 });
    const runId = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
    const summary = await followRun(db, runId, { pollMs: 100 });
    const answered = sim.requestCount; // before diffTable reads /api/account
    expect(summary.status, JSON.stringify(summary.streams.filter((s) => s.status !== 'succeeded'))).toBe(
      'succeeded',
    );
    expect(summary.streams).toHaveLength(STREAM_NAMES.length);
    for (const name of STREAM_NAMES) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
    expect(sim.sideEffectCalls).toBe(0);
    // Parents before children: a child stream starts only once its parent stream has finished.
    const report = await readRunReport(db, runId);
    for (const row of report.streams) {
      const parent = getStream(row.stream).parent?.stream;
      const parentRow = report.streams.find((r) => r.stream === parent);
      if (parentRow)
        expect(row.startedAt >= parentRow.finishedAt!, `${row.stream} after ${parent}`).toBe(true);
    }
    expect(worker.processed().partition).toBeGreaterThan(STREAM_NAMES.length);
    // Partition jobs report requests by status; the run row sums them: every answer counted once.
    expect(report.run?.requestsByStatus).toEqual({ '200': answered });
    for (const row of report.streams)
      expect(
        Object.values(row.requestsByStatus).reduce((a, b) => a + b, 0),
        row.stream,
      ).toBe(row.requests);
    const status = await collectStatus(db, { queue: sq.queue });
    const campaigns = status.streams.find((s) => s.stream === 'campaigns')!;
    expect(campaigns.lastRun?.status).toBe('succeeded');
    expect(campaigns.rows).toBe(sim.count('campaigns'));
    expect(status.queue?.active).toBe(0);
    // Jobs carry ids only: the API key and the records never reach Redis.
    const stored = await dumpRedis(sq.redis!, target.prefix);
    expect(stored).toContain('campaigns');
    expect(stored).not.toContain(KEY);
    const someLead = sim.expected('leads')[Symbol.iterator]().next().value!.record;
    expect(stored).not.toContain(String(someLead.email ?? someLead.id));
  });

  it('a queued --full-refresh run is recorded as one and walks completed partitions again', async () => {
    const before = sim.requestCount;
    const runId = await enqueueRun(sq.queue, { streams: ['campaigns', 'campaign_leads'], fullRefresh: true });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status).toBe('succeeded');
    const [run] = await db.query<{ full_refresh: boolean }>(
      sql`select full_refresh from ${db.tables.sync_runs} where run_id = ${runId} and stream = '*'`,
    );
    expect(run?.full_refresh).toBe(true);
    const walked = summary.streams.find((s) => s.stream === 'campaign_leads');
    expect(walked?.counts.read).toBe(sim.count('campaign_leads'));
    expect(sim.requestCount - before).toBeGreaterThan(sim.partitions('campaign_leads').length);
  });

  it('overlapping runs share the work: one job per (stream, partition), both runs complete exactly', async () => {
    const inFlight = async () => {
      const jobs = await sq.queue.getJobs(['active', 'waiting', 'prioritized', 'delayed']);
      return jobs.filter((j) => j?.name === 'partition').map((j) => `${j.data.stream}/${j.data.partition}`);
    };
    const [a, b] = await Promise.all([
      enqueueRun(sq.queue, { streams: [...STREAM_NAMES] }),
      enqueueRun(sq.queue, { streams: [...STREAM_NAMES] }),
    ]);
    const following = Promise.all([followRun(db, a, { pollMs: 100 }), followRun(db, b, { pollMs: 100 })]);
    let done = false;
    following.finally(() => (done = true)).catch(() => {});
    const duplicates: string[] = [];
    let samples = 0;
    while (!done) {
      const keys = await inFlight();
      duplicates.push(...keys.filter((k, i) => keys.indexOf(k) !== i));
      samples += 1;
      await new Promise((r) => setTimeout(r, 10));
    }
    const [ra, rb] = await following;
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    for (const name of STREAM_NAMES) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
    // Never two queued or running jobs for one (stream, partition): the second run left those to the first.
    expect(samples).toBeGreaterThan(3);
    expect(duplicates).toEqual([]);
    expect(lines.some((l) => l.includes('partitions already in flight in another run'))).toBe(true);
  });

  it('waits while another walker holds a partition, then walks it', async () => {
    // The test plays a worker whose BullMQ lock lapsed but which still walks `leads`.
    const other = openPartitionLocks(pg.url, logger);
    expect(await other.tryLock(partitionLockKey('puffle', 'leads', ''))).toBe(true);
    try {
      sim.resetLog();
      const runId = await enqueueRun(sq.queue, { streams: ['leads', 'campaigns'] });
      await waitFor(
        () =>
          lines.some((l) => l.includes('partition busy elsewhere')) &&
          sim.requests.some((r) => r.path === '/api/campaigns'),
        20_000,
        'the leads job to be held back',
      );
      expect(sim.requests.filter((r) => r.path === '/api/leads')).toEqual([]);
      await other.close();
      expect((await followRun(db, runId, { pollMs: 100 })).status).toBe('succeeded');
      const diff = await diffTable(db, sim, 'leads');
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('a rejected key fails the run at once and stops its other jobs before they call Puffle', async () => {
    sim.revokeKey(KEY);
    sim.resetLog();
    try {
      const runId = await enqueueRun(sq.queue, { streams: [...STREAM_NAMES] });
      const summary = await followRun(db, runId, { pollMs: 100 });
      expect(summary.status).toBe('failed');
      expect(summary.error?.name).toBe('AuthRejectedError');
      // The code crossed BullMQ (the failed partition's failedReason, the run's flag) into every
      // stream's row and the run's: `sync --queue --wait` exits 3 on it, not on a class name.
      expect(summary.error?.code).toBe(AuthRejectedError.code);
      const report = await readRunReport(db, runId);
      expect(report.run?.errorCode).toBe(AuthRejectedError.code);
      expect(report.streams.length).toBe(STREAM_NAMES.length);
      for (const s of report.streams) expect(s.errorCode, s.stream).toBe(AuthRejectedError.code);
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

describe('queued sync under a tight Puffle rate limit', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;

  beforeAll(async () => {
    // Puffle allows far less than our budget: 429s with Retry-After ≥ 1 s, above the 100 ms slot wait.
    sim = await startSimulator({ scale: 100, seed: 8, keys: [KEY], rateLimit: { limit: 3, windowMs: 1000 } });
    pg = await createTestDatabase('queue_429');
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('hands rate-limited jobs back to the queue instead of sleeping in them, and still completes exactly', async () => {
    const target: QueueTarget = { sim, databaseUrl: pg.url, prefix: uniquePrefix('429'), key: KEY };
    sq = openSyncQueue(queueConfig(target));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    worker = await startSyncWorker({ config: queueConfig(target), logger, concurrency: 4, slotWaitMs: 100 });
    const streams = ['campaigns', 'campaign_leads', 'lists', 'list_leads', 'signals'] as const;
    const runId = await enqueueRun(sq.queue, { streams: [...streams] });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status, JSON.stringify(summary.streams.map((s) => s.error))).toBe('succeeded');
    for (const name of streams) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('job handed back'))).toBe(true);
    expect(lines.filter((l) => l.includes('"job failed"'))).toEqual([]);
  });
});
