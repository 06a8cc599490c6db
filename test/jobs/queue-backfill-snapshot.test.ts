/**
 * Backfill of a dated snapshot stream (campaign_account_usage): one unit per (campaign, day), the
 * past days kept beside today's rows, each day exactly what Puffle answers for it, and a second
 * backfill over the same days adds nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dailyWindows,
  enqueueRun,
  followRun,
  monthlyWindows,
  openSyncQueue,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { type QueueTarget, queueConfig } from './queue-helpers.ts';

const KEY = 'pk_live_snapshotBackfillKey01';
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('dailyWindows', () => {
  it('makes one window per UTC day, never past today', () => {
    const now = new Date('2026-11-30T11:00:00Z');
    expect(dailyWindows(new Date('2026-11-27T00:00:00Z'), new Date('2026-11-30T00:00:00Z'), now)).toEqual([
      { since: '2026-11-27T00:00:00.000Z', until: '2026-11-28T00:00:00.000Z' },
      { since: '2026-11-28T00:00:00.000Z', until: '2026-11-29T00:00:00.000Z' },
      { since: '2026-11-29T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' },
    ]);
    const capped = dailyWindows(new Date('2026-11-29T00:00:00Z'), new Date('2026-12-20T00:00:00Z'), now);
    expect(capped.map((w) => w.since.slice(0, 10))).toEqual(['2026-11-29', '2026-11-30']);
  });
});

describe('backfill of campaign_account_usage', () => {
  let sim: Simulator;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    // The simulator's "today" is the real one, so the backfilled days are past days with sends.
    sim = await startSimulator({ scale: 400, seed: 5, keys: [KEY], rateLimit: null, clockStart: Date.now() });
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await sim?.close();
  });

  it('keeps 3 past days beside today, each exact, and a second backfill duplicates nothing', async () => {
    const pg = await createTestDatabase('snapshot_backfill');
    const target: QueueTarget = {
      sim,
      databaseUrl: pg.url,
      prefix: uniquePrefix('snapbf'),
      key: KEY,
      backend: 'redis',
    };
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    const sq = openSyncQueue(queueConfig(target));
    const worker = await startSyncWorker({
      config: queueConfig(target),
      logger: silentLogger,
      concurrency: 3,
    });
    cleanups.push(async () => {
      await worker.close({ timeoutMs: 5000 });
      await sq.queue.obliterate({ force: true }).catch(() => {});
      await sq.close();
      await db.close();
      await pg.drop();
    });

    const regular = await enqueueRun(sq.queue, { streams: ['campaigns', 'campaign_account_usage'] });
    expect((await followRun(db, regular, { pollMs: 50 })).status).toBe('succeeded');

    const today = Date.parse(`${day(Date.now())}T00:00:00Z`);
    const from = new Date(today - 3 * DAY);
    const to = new Date(today);
    const backfill = () =>
      enqueueRun(sq.queue, {
        streams: ['campaign_account_usage'],
        windows: monthlyWindows(from, to),
        days: dailyWindows(from, to),
      });
    sim.resetLog();
    expect((await followRun(db, await backfill(), { pollMs: 50 })).status).toBe('succeeded');
    const campaigns = sim.partitions('campaign_account_usage').length;
    const usageRequests = () => sim.requests.filter((r) => r.path.endsWith('/account-usage'));
    expect(usageRequests()).toHaveLength(3 * campaigns);
    expect(new Set(usageRequests().map((r) => r.query.date))).toEqual(
      new Set([day(today - 3 * DAY), day(today - 2 * DAY), day(today - DAY)]),
    );

    const perDay = () =>
      db.query<{ date: string; n: number; sent: number }>(
        sql`select date::text as date, count(*)::int as n, sum(sent_today)::int as sent
            from puffle.campaign_account_usage group by date order by date`,
      );
    const first = await perDay();
    expect(first.map((r) => r.date)).toEqual([3, 2, 1, 0].map((k) => day(today - k * DAY)));
    expect(first.every((r) => r.sent > 0)).toBe(true);
    for (const { date } of first) {
      const diff = await diffTable(db, sim, 'campaign_account_usage', date);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
      expect(diff.expected).toBeGreaterThan(0);
    }

    // Again over the same days: the walked days are skipped; with --full-refresh re-read, unchanged.
    sim.resetLog();
    expect((await followRun(db, await backfill(), { pollMs: 50 })).status).toBe('succeeded');
    expect(usageRequests()).toHaveLength(0);
    const refresh = await enqueueRun(sq.queue, {
      streams: ['campaign_account_usage'],
      windows: monthlyWindows(from, to),
      days: dailyWindows(from, to),
      fullRefresh: true,
    });
    const refreshed = await followRun(db, refresh, { pollMs: 50 });
    expect(refreshed.status).toBe('succeeded');
    expect(usageRequests()).toHaveLength(3 * campaigns);
    const counts = refreshed.streams.find((s) => s.stream === 'campaign_account_usage')!.counts;
    expect(counts.inserted).toBe(0);
    expect(counts.unchanged).toBe(counts.read);
    expect(await perDay()).toEqual(first);
  });
});
