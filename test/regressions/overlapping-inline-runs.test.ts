/**
 * Found by the chaos harness (overlapping-runs): a second inline sync started while one was
 * running took the live run for an interrupted one, "resumed" it and walked the same partitions
 * again. Now the second run stands aside with SyncAlreadyRunningError.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncAlreadyRunningError } from '../../src/jobs/errors/sync-already-running-error.ts';
import { openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

describe('two inline syncs against one schema at once', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 4, rateLimit: null, latencyMs: 20 });
    pg = await createTestDatabase('reg_overlap');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('lets one walk and makes the other stand aside; the next run may start again', async () => {
    const streams = ['campaigns', 'campaign_leads', 'leads'] as const;
    const first = syncOnce(sim, { databaseUrl: pg.url }, { streams: [...streams] });
    // The second starts once the first holds the schema (its run row exists).
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      for (let i = 0; i < 200; i += 1) {
        const rows = await db
          .query<{ n: number }>(sql`select count(*)::int as n from puffle.sync_runs where stream = '*'`)
          .catch(() => [{ n: 0 }]);
        if ((rows[0]?.n ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const second = syncOnce(sim, { databaseUrl: pg.url }, { streams: [...streams] });
      await expect(second).rejects.toBeInstanceOf(SyncAlreadyRunningError);
      expect((await first).status).toBe('succeeded');
      const runs = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.sync_runs where stream = '*'`,
      );
      expect(runs[0]!.n).toBe(1);
      expect((await syncOnce(sim, { databaseUrl: pg.url }, { streams: [...streams] })).status).toBe(
        'succeeded',
      );
    } finally {
      await db.close();
    }
  });
});
