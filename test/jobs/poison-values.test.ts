/**
 * A hostile source, end to end: the simulator over HTTP serves a thread whose snippet ends in half
 * an emoji and a campaign whose daily_limit overflows 32 bits, into real Postgres. Neither blocks
 * its page any more: every other row updates, the poisoned rows are stored with the value dropped
 * and recorded in `_changes`, counted in sync_runs, and the next clean run clears them.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/dashboard/metrics.ts';
import { readWarehouseStats } from '../../src/dashboard/warehouse-stats.ts';
import type { StreamName } from '../../src/extract/streams.ts';
import { collectStatus, formatStatus } from '../../src/jobs/status/index.ts';
import { type Database, openDatabase, readerOnPool } from '../../src/load/index.ts';
import { parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const streams: StreamName[] = ['threads', 'campaigns'];

describe('poison values from the API', () => {
  let sim: Simulator;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 21, rateLimit: null });
    target = await createTestDatabase('p11b_poison');
    db = await openDatabase({ databaseUrl: target.url, dataDir: '', schema: 'puffle' });
  });
  afterAll(async () => {
    await db?.close();
    await sim?.close();
    await target?.drop();
  });

  const changed = () =>
    db.query<{ stream: string; id: string; changes: { field: string; reason: string; original: string }[] }>(
      sql`select 'threads' as stream, id, _changes as changes from puffle.threads where _changes <> '[]'
        union all select 'campaigns', id, _changes from puffle.campaigns where _changes <> '[]' order by 1, 2`,
    );

  it('stores the poisoned rows with the value dropped, updates the rest, and a clean run clears them', async () => {
    expect((await syncOnce(sim, { databaseUrl: target.url }, { streams })).status).toBe('succeeded');
    const threadIds = [...sim.expected('threads')].map((t) => String(t.record.id));
    expect(threadIds.length).toBeGreaterThan(3);
    for (const id of threadIds) sim.mutate.update('threads', id, { participant_company: 'Renamed Co' });

    sim.setFaults(parseFaultSpec('poison-surrogate@/api/threads#1;poison-overflow@/api/campaigns#1'));
    const hostile = await syncOnce(sim, { databaseUrl: target.url }, { streams });
    expect(hostile.status).toBe('succeeded');
    expect(hostile.streams.map((s) => [s.stream, s.counts.rejected, s.counts.dropped]).sort()).toEqual([
      ['campaigns', 0, 1],
      ['threads', 0, 2],
    ]);

    // Every thread updated, the poisoned one included.
    const companies = await db.query<{ company: string; n: number }>(
      sql`select participant_company as company, count(*)::int as n from puffle.threads group by 1`,
    );
    expect(companies).toEqual([{ company: 'Renamed Co', n: threadIds.length }]);
    const poisoned = await changed();
    expect(poisoned.map((r) => [r.stream, r.changes.map((c) => c.field)])).toEqual([
      ['campaigns', ['daily_limit']],
      ['threads', ['last_message_snippet', 'raw.last_message_snippet']],
    ]);
    expect(poisoned[0]!.changes[0]).toEqual({
      field: 'daily_limit',
      reason: 'out of range for an integer',
      original: '99999999999',
    });
    expect(poisoned[1]!.changes[0]!.original).toMatch(/ \\ud83d$/);
    const [thread] = await db.query<{ snippet: string | null; raw_snippet: string }>(
      sql`select last_message_snippet as snippet, raw->>'last_message_snippet' as raw_snippet
        from puffle.threads where id = ${poisoned[1]!.id}`,
    );
    expect(thread).toEqual({ snippet: null, raw_snippet: expect.stringMatching(/ \ufffd$/) });
    const runs = await db.query<{ stream: string; values_dropped: number }>(
      sql`select stream, values_dropped from puffle.sync_runs where run_id = ${hostile.runId} order by stream`,
    );
    expect(runs).toEqual([
      { stream: '*', values_dropped: 3 },
      { stream: 'campaigns', values_dropped: 1 },
      { stream: 'threads', values_dropped: 2 },
    ]);
    expect(await db.query(sql`select 1 from puffle.rejected_records`)).toEqual([]);

    // Visible where a person looks: status and /metrics.
    const status = await collectStatus(db);
    const threads = status.streams.find((s) => s.stream === 'threads')!;
    expect(threads).toMatchObject({ rowsWithChanges: 1, lastRun: { valuesDropped: 2 } });
    expect(formatStatus(status)).toContain('threads: 1 row(s) with a value dropped or repaired');
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    try {
      const metrics = createMetrics();
      metrics.set({
        warehouse: await readWarehouseStats(readerOnPool(pool, 'puffle')),
        up: { postgres: true },
      });
      const text = await metrics.registry.metrics();
      expect(text).toContain('puffle_sync_values_dropped_total{stream="threads"} 2');
      expect(text).toContain('puffle_sync_values_dropped_total{stream="campaigns"} 1');
    } finally {
      await pool.end();
    }

    sim.setFaults([]);
    expect((await syncOnce(sim, { databaseUrl: target.url }, { streams })).status).toBe('succeeded');
    expect(await changed()).toEqual([]);
    expect((await collectStatus(db)).streams.every((s) => s.rowsWithChanges === 0)).toBe(true);
    for (const name of streams) {
      const diff = await diffTable(db, sim, name);
      expect(isExact(diff), describeDiff(diff)).toBe(true);
    }
  });
});
