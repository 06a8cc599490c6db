/**
 * The main job end to end: the simulator over HTTP → runSync → real Postgres (and PGlite), every
 * table compared with the simulator's data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import { openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce, totals } from '../helpers/sync-harness.ts';

async function expectExact(databaseUrl: string | undefined, dataDir: string | undefined, sim: Simulator) {
  const db = await openDatabase({ databaseUrl, dataDir: dataDir ?? '', schema: 'puffle' });
  try {
    const diffs = [];
    for (const name of STREAM_NAMES) diffs.push(await diffTable(db, sim, name));
    const bad = diffs.filter((d) => !isExact(d));
    expect(bad.map(describeDiff)).toEqual([]);
    return diffs;
  } finally {
    await db.close();
  }
}

describe.each([
  { scale: 150, seed: 7 },
  { scale: 900, seed: 11 },
])('inline sync at scale $scale', ({ scale, seed }) => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    sim = await startSimulator({ scale, seed, rateLimit: null });
    pg = await createTestDatabase('inline');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('copies every stream exactly, then re-syncs with nothing rewritten', async () => {
    const first = await syncOnce(sim, { databaseUrl: pg.url });
    const answered = sim.requestCount; // before the comparison below reads /api/account
    expect(first.status).toBe('succeeded');
    const diffs = await expectExact(pg.url, undefined, sim);
    for (const d of diffs) expect(d.expected, `${d.stream} has data`).toBeGreaterThan(0);
    expect(totals(first).inserted).toBeGreaterThan(0);
    // Every request the simulator answered is counted once, under its status, in some stream.
    const byStatus: Record<string, number> = {};
    for (const s of first.streams)
      for (const [status, n] of Object.entries(s.requestsByStatus))
        byStatus[status] = (byStatus[status] ?? 0) + n;
    expect(byStatus).toEqual({ '200': answered });

    const second = await syncOnce(sim, { databaseUrl: pg.url });
    expect(second.status).toBe('succeeded');
    const t = totals(second);
    expect({ inserted: t.inserted, updated: t.updated, deleted: t.deleted }).toEqual({
      inserted: 0,
      updated: 0,
      deleted: 0,
    });
    expect(t.unchanged).toBe(t.read - t.rejected);
  });
});

describe('inline sync after changes in Puffle', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 200, seed: 3, rateLimit: null });
    pg = await createTestDatabase('mutations');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('follows inserts, updates and deletes; deleted rows carry _deleted_at; signal history is kept', async () => {
    expect((await syncOnce(sim, { databaseUrl: pg.url })).status).toBe('succeeded');

    const first = <T>(it: Iterable<T>): T => {
      for (const x of it) return x;
      throw new Error('empty stream');
    };
    const campaignLead = first(sim.expected('campaign_leads'));
    const lead = first(sim.expected('leads'));
    const signal = first(sim.expected('signals'));
    // Deleting a lead also removes its list memberships: pick a membership of another lead.
    const listLead = first([...sim.expected('list_leads')].filter((m) => m.record.id !== lead.record.id));
    sim.mutate.remove('campaign_leads', String(campaignLead.record.id), campaignLead.partition);
    sim.mutate.remove('leads', String(lead.record.id));
    sim.mutate.remove('signals', String(signal.record.id));
    sim.mutate.remove('list_leads', String(listLead.record.id), listLead.partition);
    sim.mutate.update('campaigns', String(first(sim.expected('campaigns')).record.id), {
      name: 'Renamed — ünïcode',
    });
    sim.mutate.insert('leads');
    sim.mutate.insert('signals');
    const thread = first(sim.expected('threads'));
    sim.mutate.insert(
      'thread_messages',
      thread.partition === '' ? String(thread.record.id) : thread.partition,
    );

    const again = await syncOnce(sim, { databaseUrl: pg.url });
    expect(again.status).toBe('succeeded');
    await expectExact(pg.url, undefined, sim);

    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const deleted = await db.query<{ id: string; deleted: boolean }>(
        sql`select id, _deleted_at is not null as deleted from puffle.campaign_leads where id = ${String(campaignLead.record.id)}
            union all select id, _deleted_at is not null from puffle.leads where id = ${String(lead.record.id)}`,
      );
      expect(deleted).toEqual([
        { id: String(campaignLead.record.id), deleted: true },
        { id: String(lead.record.id), deleted: true },
      ]);
      const kept = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.signals where id = ${String(signal.record.id)} and _deleted_at is null`,
      );
      expect(kept[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('embedded PGlite', () => {
  it('gives the same rows as Postgres', async () => {
    const sim = await startSimulator({ scale: 120, seed: 5, rateLimit: null });
    const pg = await createTestDatabase('pglite_vs_pg');
    const dir = mkdtempSync(join(tmpdir(), 'puffle-pglite-'));
    try {
      expect((await syncOnce(sim, { databaseUrl: pg.url })).status).toBe('succeeded');
      expect((await syncOnce(sim, { dataDir: dir })).status).toBe('succeeded');
      const a = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
      const b = await openDatabase({ dataDir: dir, schema: 'puffle' });
      try {
        for (const name of STREAM_NAMES) {
          const q = sql.raw(
            `select raw::text as raw from puffle.${name} where _deleted_at is null order by raw::text`,
          );
          const [ra, rb] = [await a.query<{ raw: string }>(q), await b.query<{ raw: string }>(q)];
          expect(rb.length, name).toBe(ra.length);
          expect(rb, name).toEqual(ra);
        }
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await sim.close();
      await pg.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
