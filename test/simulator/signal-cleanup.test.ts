/**
 * Puffle's daily cleanup (07:30 UTC) deletes signals older than one year (docs/puffle-api.md,
 * background jobs), by the simulator's clock. A sync keeps them: signals are incremental and
 * "history kept after Puffle's one-year cleanup" (docs/streams.md), never soft-deleted.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/load/index.ts';
import { MutationError } from '../../src/simulator/errors/mutation-error.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';
import { getJson } from './walk.ts';

type Rec = Record<string, unknown>;
const MIN = 60_000;
const DAY = 86_400_000;
const createdMs = (r: Rec) => Date.parse(String(r.createdAt ?? r.created_at));
// Scale 10,000: 5,000 signals, one a minute, from 2025-12-28T12:39Z to 2025-12-31T23:59Z.
const SCALE = 10_000;

/** Every page of the NEW (`hasMore`) or V1 (`has_more`) signal feed. */
async function walkSignals(s: Simulator, path: '/api/signals' | '/api/v1/signals'): Promise<Rec[]> {
  const out: Rec[] = [];
  for (let cursor: string | null = null; ; ) {
    const { status, body } = await getJson(s, `${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(status).toBe(200);
    out.push(...(body.signals as Rec[]));
    const p = body.pagination as Rec;
    cursor = p.hasMore || p.has_more ? String(p.cursor) : null;
    if (!cursor) return out;
  }
}

describe('the one-year signal cleanup', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('the default clock starts after every generated timestamp and removes nothing', async () => {
    sim = await startSimulator({ scale: 1_000_000, seed: 1, rateLimit: null });
    expect(new Date(sim.now()).getUTCFullYear()).toBe(2026);
    expect(sim.count('signals')).toBe(200_000);
    const inserted = sim.mutate.insert('signals');
    expect(createdMs(inserted)).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 1));
  });

  it('runs at 07:30 UTC: signals older than a year before the run go from every read', async () => {
    sim = await startSimulator({
      scale: SCALE,
      seed: 3,
      rateLimit: null,
      clockStart: '2026-12-30T07:28:00Z',
    });
    const s = sim;
    // The last run was 2026-12-29T07:30Z: signals before 2025-12-29T07:30Z are already gone.
    const cutoff1 = Date.UTC(2025, 11, 29, 7, 30);
    const cutoff2 = cutoff1 + DAY;
    const all = [...s.expected('signals')].map((e) => e.record);
    expect(all.length).toBe(s.count('signals'));
    expect(Math.min(...all.map(createdMs))).toBeGreaterThanOrEqual(cutoff1);
    expect(all.length).toBeLessThan(5000);
    const dying = all.filter((r) => createdMs(r) < cutoff2);
    expect(dying.length).toBeGreaterThan(100);
    const old = s.mutate.insert('signals', '', { createdAt: new Date(cutoff2 - MIN).toISOString() });

    s.advanceClock(60_000); // 07:29: the run is not due yet
    expect(s.count('signals')).toBe(all.length + 1);
    s.advanceClock(2 * 60_000); // 07:31: it ran
    const kept = all.length - dying.length;
    expect(s.count('signals')).toBe(kept);
    const v1 = await walkSignals(s, '/api/v1/signals');
    expect(v1).toHaveLength(kept);
    expect(Math.min(...v1.map(createdMs))).toBeGreaterThanOrEqual(cutoff2);
    const walked = await walkSignals(s, '/api/signals');
    expect(walked).toEqual([...s.expected('signals')].map((e) => e.record));
    expect(walked).toHaveLength(kept);
    expect(walked.map((r) => r.id)).not.toContain(old.id);
    expect(() => s.mutate.remove('signals', String(dying[0]?.id))).toThrow(MutationError);
  });
});

describe('a sync across the cleanup', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    sim = await startSimulator({
      scale: SCALE,
      seed: 3,
      rateLimit: null,
      clockStart: '2026-12-29T12:00:00Z',
    });
    pg = await createTestDatabase('signal_cleanup');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('keeps the signals Puffle cleaned up, live, through incremental and full-refresh runs', async () => {
    const target = { databaseUrl: pg.url };
    expect((await syncOnce(sim, target, { streams: ['signals'] })).status).toBe('succeeded');
    const before = [...sim.expected('signals')].map((e) => String(e.record.id));

    sim.advanceClock(DAY); // past the 2026-12-30T07:30Z run
    const fresh = sim.mutate.insert('signals');
    const after = new Set([...sim.expected('signals')].map((e) => String(e.record.id)));
    const cleaned = before.filter((id) => !after.has(id));
    expect(cleaned.length).toBeGreaterThan(1000);

    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const live = async () =>
        (
          await db.query<{ n: number }>(
            sql`select count(*)::int as n from puffle.signals where _deleted_at is null`,
          )
        )[0]?.n;
      for (const fullRefresh of [false, true]) {
        expect((await syncOnce(sim, target, { streams: ['signals'], fullRefresh })).status).toBe('succeeded');
        const diff = await diffTable(db, sim, 'signals');
        expect(isExact(diff), describeDiff(diff)).toBe(true);
        expect(await live()).toBe(before.length + 1);
      }
      const [row] = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.signals where id = any(${sql.param(cleaned)}::text[]) and _deleted_at is null`,
      );
      expect(row?.n).toBe(cleaned.length);
      expect((await diffTable(db, sim, 'signals')).expected).toBe(after.size);
      expect(after.has(String(fresh.id))).toBe(true);
    } finally {
      await db.close();
    }
  });
});
