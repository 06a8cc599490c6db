/**
 * The streams of issue 15 (signal keyword analytics, per-type sources, source configs, sender
 * usage and limits snapshots, weekly rollups, list agent messages): each synced exactly against
 * the simulator at a small and a large size, and a second sync rewrites nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName } from '../../src/extract/streams.ts';
import { openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const NEW: StreamName[] = [
  'signal_keywords',
  'signal_type_sources',
  'source_configs',
  'campaign_account_usage',
  'sender_limits',
  'campaign_weekly_stats',
  'list_messages',
];
const STREAMS: StreamName[] = ['campaigns', 'signal_types', 'lists', ...NEW];

describe.each([
  { scale: 40, seed: 2 },
  { scale: 1500, seed: 9 },
])('issue 15 streams at scale $scale', ({ scale, seed }) => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    sim = await startSimulator({ scale, seed, rateLimit: null, clockStart: Date.now() });
    pg = await createTestDatabase('issue15');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('syncs each exactly; a second sync rewrites nothing', async () => {
    const first = await syncOnce(sim, { databaseUrl: pg.url }, { streams: STREAMS });
    expect(first.status).toBe('succeeded');
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      for (const name of NEW) {
        const diff = await diffTable(db, sim, name);
        expect(isExact(diff), describeDiff(diff)).toBe(true);
        expect(diff.expected, `${name} has data`).toBeGreaterThan(0);
      }
      // One weekly row per channel; today's date on every usage row; keywords walked over several pages.
      const [weekly] = await db.query<{ n: number; channels: string }>(
        sql`select count(*)::int as n, string_agg(distinct channel, ',' order by channel) as channels from puffle.campaign_weekly_stats`,
      );
      expect(weekly).toEqual({ n: 24, channels: 'email,linkedin' });
      const [dates] = await db.query<{ dates: string }>(
        sql`select string_agg(distinct date::text, ',') as dates from puffle.campaign_account_usage`,
      );
      expect(dates?.dates).toBe(new Date().toISOString().slice(0, 10));
      const keywordPages = sim.requests.filter((r) => r.path === '/api/signals/analytics').length;
      expect(keywordPages).toBe(Math.floor(sim.count('signal_keywords') / 100) + 1);
    } finally {
      await db.close();
    }
    const second = await syncOnce(sim, { databaseUrl: pg.url }, { streams: STREAMS });
    for (const s of second.streams.filter((x) => NEW.includes(x.stream))) {
      expect(s.counts.inserted + s.counts.updated, s.stream).toBe(0);
      expect(s.counts.unchanged, s.stream).toBe(s.counts.read);
    }
  });
});
