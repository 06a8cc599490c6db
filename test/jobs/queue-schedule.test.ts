/**
 * The schedule: N `puffle-sync schedule` processes at once leave exactly one scheduler, a
 * per-second schedule fires runs that workers carry into sync_runs, and `--remove` deletes it.
 * Under both queue backends (Redis; Postgres with no REDIS_URL).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSyncQueue,
  SCHEDULER_ID,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { QUEUE_BACKEND_NAMES, type QueueTarget, queueConfig, queueEnv, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_queueScheduleKey0123';

describe.each(QUEUE_BACKEND_NAMES)('schedule, queue on %s', (backend) => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;
  let target: QueueTarget;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 100, seed: 2, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('schedule');
    target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('sched'), key: KEY, backend };
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

  it('N concurrent schedule calls leave one scheduler; a per-second schedule lands runs in sync_runs; --remove deletes it', async () => {
    const env = { ...queueEnv(target), PUFFLE_API_KEY: undefined };
    const calls = await Promise.all(
      Array.from({ length: 4 }, () =>
        runCli(
          ['schedule', '--cron', '* * * * * *', '--tz', 'UTC', '--streams', 'account,campaigns', '--json'],
          env,
        ),
      ),
    );
    for (const c of calls) expect(c.code, c.stderr).toBe(0);
    const schedulers = await sq.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([SCHEDULER_ID]);
    expect(JSON.parse(calls[0]!.stdout)).toMatchObject({ id: SCHEDULER_ID, cron: '* * * * * *', tz: 'UTC' });
    // BullMQ keeps one pending job per scheduler, whoever upserted it.
    const pending = await sq.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    expect(pending.filter((j) => j.name === 'run')).toHaveLength(1);

    worker = await startSyncWorker({ config: queueConfig(target), logger: silentLogger, concurrency: 2 });
    await waitFor(
      async () =>
        (
          await db.query(
            sql`select 1 from puffle.sync_runs where stream = '*' and trigger = 'schedule' and status = 'succeeded'`,
          )
        ).length > 0,
      30_000,
      'a scheduled run to succeed',
    );
    const [row] = await db.query<{ n: number }>(
      sql`select count(*)::int as n from puffle.sync_runs where stream = 'campaigns' and status = 'succeeded'`,
    );
    expect(row!.n).toBeGreaterThan(0);

    const removed = await runCli(['schedule', '--remove', '--json'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: true });
    expect(await sq.queue.getJobSchedulers()).toEqual([]);
    await worker.close({ timeoutMs: 5000 });
    worker = undefined;
  });

  it('rejects a malformed cron before writing anything', async () => {
    const res = await runCli(['schedule', '--cron', 'every night'], {
      ...queueEnv(target),
      PUFFLE_API_KEY: undefined,
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--cron');
    const outOfRange = await runCli(['schedule', '--cron', '99 * * * *'], {
      ...queueEnv(target),
      PUFFLE_API_KEY: undefined,
    });
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('not a valid cron pattern');
    expect(await sq.queue.getJobSchedulers()).toEqual([]);
  });

  it('backfill queues one low-priority run of monthly windows, and rejects bad dates', async () => {
    const env = { ...queueEnv(target), PUFFLE_API_KEY: undefined };
    const res = await runCli(['backfill', '--from', '2025-01-15', '--to', '2025-04-01', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ windows: 3, streams: ['signals'] });
    const job = await sq.queue.getJob(`run/${out.runId}`);
    expect(job?.data).toMatchObject({ trigger: 'backfill', streams: ['signals'] });
    expect(job?.data.backfill.windows[0]).toEqual({
      since: '2025-01-01T00:00:00.000Z',
      until: '2025-02-01T00:00:00.000Z',
    });
    await job?.remove();

    const bad = await runCli(['backfill', '--from', 'last spring'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from');
  });
});
