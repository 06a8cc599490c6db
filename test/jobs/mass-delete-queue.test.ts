/**
 * The mass-delete guard through the queue (in-process worker, real Redis, Postgres, simulator):
 * a partition job holds a mass deletion like the inline runner; `sync --queue
 * --accept-mass-deletes` carries the acceptance in job data (run → stream → partition) and the
 * worker applies it; a worker's own PUFFLE_ACCEPT_MASS_DELETES applies it too.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import {
  enqueueRun,
  followRun,
  openSyncQueue,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, listHeldDeletions, migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { type QueueTarget, queueConfig, queueEnv } from './queue-helpers.ts';

const KEY = 'pk_live_massDeleteQueue01234';

describe('mass-delete guard (queued sync, leads)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;
  let target: QueueTarget;
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });

  const run = async (opts: { acceptMassDeletes?: boolean } = {}) => {
    const runId = await enqueueRun(sq.queue, { streams: ['leads'], ...opts });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status).toBe('succeeded');
    return summary.streams[0]!.counts;
  };
  const removeLeads = (share: number) => {
    const all = [...sim.expected('leads')];
    const gone = all.slice(0, Math.ceil(all.length * share));
    for (const e of gone) sim.mutate.remove('leads', String(e.record.id));
    return gone.length;
  };
  const liveLeads = async () =>
    (
      await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.leads where _deleted_at is null`,
      )
    )[0]!.n;
  const startWorker = async (env: Record<string, string> = {}) => {
    await worker?.close({ timeoutMs: 5000 });
    worker = await startSyncWorker({
      config: loadConfig({ ...queueEnv(target), ...env }),
      logger,
      concurrency: 2,
    });
  };

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 4, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('c11_guard_queue');
    target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('c11guard'), key: KEY };
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    sq = openSyncQueue(queueConfig(target));
    await startWorker();
    await run();
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('holds a mass deletion (rows live, warning, sync_runs count), then --accept-mass-deletes applies it', async () => {
    const total = await liveLeads();
    const n = removeLeads(0.3);
    lines.length = 0;
    expect(await run()).toMatchObject({ deleted: 0, held: n });
    expect(await liveLeads()).toBe(total);
    expect(lines.some((l) => l.includes(`leads: held ${n} of ${total} live rows`))).toBe(true);
    expect((await listHeldDeletions(db))[0]).toMatchObject({ stream: 'leads', held: n });

    const more = removeLeads(0.3);
    expect(await run({ acceptMassDeletes: true })).toMatchObject({ deleted: n + more, held: 0 });
    expect(await liveLeads()).toBe(total - n - more);
    expect(await listHeldDeletions(db)).toEqual([]);
  });

  it("a worker's own PUFFLE_ACCEPT_MASS_DELETES applies it", async () => {
    const total = await liveLeads();
    await startWorker({ PUFFLE_ACCEPT_MASS_DELETES: 'true' });
    const n = removeLeads(0.4);
    expect(await run()).toMatchObject({ deleted: n, held: 0 });
    expect(await liveLeads()).toBe(total - n);
  });
});
