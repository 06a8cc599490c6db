/**
 * A hostile source against the queued runner (in-process worker, real Redis and Postgres): an
 * endless cursor fails its partition job once with PaginationError — no BullMQ retries — while the
 * other streams finish; the next queued run resumes, the rejected cursor restarts the walk, exact.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaginationError } from '../../src/extract/index.ts';
import { MAX_PAGES_WITHOUT_PROGRESS } from '../../src/extract/paginators/progress.ts';
import {
  enqueueRun,
  followRun,
  openSyncQueue,
  readRunReport,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { type QueueTarget, queueConfig } from './queue-helpers.ts';

const KEY = 'pk_live_hostileQueueKey01234';

describe('hostile source, queued runner', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;
  let target: QueueTarget;
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });

  beforeAll(async () => {
    sim = await startSimulator({ scale: 1000, seed: 12, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('hostile_queue');
    target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('hostile11a'), key: KEY };
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    sq = openSyncQueue(queueConfig(target));
    worker = await startSyncWorker({ config: queueConfig(target), logger, concurrency: 3 });
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('an endless cursor fails the partition once, without retries; the next run restarts the walk and is exact', async () => {
    sim.setFaults(parseFaultSpec('endless-cursor@/api/leads'));
    const hostileRun = await enqueueRun(sq.queue, { streams: ['leads', 'lists'] });
    const hostile = await followRun(db, hostileRun, { pollMs: 100 });
    expect(hostile.status).toBe('partial');
    const report = await readRunReport(db, hostileRun);
    const leads = report.streams.find((r) => r.stream === 'leads')!;
    expect(leads.status).toBe('failed');
    expect(leads.errorClass).toBe('PaginationError');
    // The code crossed the queue (an UnrecoverableError's failedReason) to the stream's row.
    expect(leads.errorCode).toBe(PaginationError.code);
    expect(leads.errorMessage).toContain('(no_progress)');
    expect(report.streams.find((r) => r.stream === 'lists')!.status).toBe('succeeded');
    // One attempt: BullMQ's 5 attempts would have walked the circle five times.
    const leadRequests = sim.requests.filter((r) => r.path === '/api/leads');
    expect(leadRequests.length).toBeLessThanOrEqual(2 + MAX_PAGES_WITHOUT_PROGRESS);

    sim.setFaults([]);
    sim.resetLog();
    lines.length = 0;
    const calm = await followRun(db, await enqueueRun(sq.queue, { streams: ['leads', 'lists'] }), {
      pollMs: 100,
    });
    expect(calm.status).toBe('succeeded');
    expect(sim.requests.filter((r) => r.path === '/api/leads' && r.status === 400)).toHaveLength(1);
    expect(lines.filter((l) => l.includes('restarting this walk from the beginning'))).toHaveLength(1);
    for (const name of ['leads', 'lists'] as const) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
  });
});
