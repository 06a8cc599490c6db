/**
 * The dashboard of a deployment without Redis (PUFFLE_QUEUE_BACKEND=postgres): Bull Board lists
 * the queue kept in Postgres, /metrics counts its jobs, and /healthz does not ask for Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { enqueueRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';

describe('dashboard, queue on Postgres', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sq: SyncQueue;
  let dashboard: Dashboard;
  const prefix = uniquePrefix('dashpg');

  beforeAll(async () => {
    db = await createTestDatabase('dash_pg');
    const warehouse = await openDatabase({ databaseUrl: db.url, dataDir: '', schema: 'puffle' });
    await migrate(warehouse);
    await warehouse.close();
    sq = openSyncQueue({
      queueBackend: 'postgres',
      databaseUrl: db.url,
      redisUrl: undefined,
      queuePrefix: prefix,
    });
    await enqueueRun(sq.queue, { streams: ['campaigns'] });
    dashboard = await startDashboard({
      databaseUrl: db.url,
      queueBackend: 'postgres',
      queuePrefix: prefix,
      port: 0,
    });
  });
  afterAll(async () => {
    await dashboard?.close();
    await sq?.close();
    await db?.drop();
  });

  it('/healthz is 200 without Redis', async () => {
    const res = await fetch(`${dashboard.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, postgres: 'ok', redis: 'not configured' });
  });

  it('/metrics counts the queued run job, read from Postgres', async () => {
    const text = await (await fetch(`${dashboard.url}/metrics`)).text();
    const count = (state: string) =>
      Number(
        new RegExp(`^puffle_sync_queue_jobs\\{queue="sync",state="${state}"\\} (\\d+)$`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    expect(count('waiting') + count('prioritized')).toBe(1);
    expect(text).not.toContain('source="redis"');
  });

  it('Bull Board lists the sync queue and its job', async () => {
    const res = await fetch(`${dashboard.url}/queues/api/queues`);
    expect(res.status).toBe(200);
    const api = (await res.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(api.queues.map((q) => q.name)).toEqual(['sync']);
    const counts = api.queues[0]!.counts;
    expect((counts.waiting ?? 0) + (counts.prioritized ?? 0)).toBe(1);
  });
});
