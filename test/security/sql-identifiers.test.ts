/**
 * SQL identifiers come from the catalog, never from API data: records whose field names and
 * values look like SQL (or like our lineage columns) are stored as data — in `raw` and typed
 * columns — and the warehouse has exactly the catalog's tables and columns before and after.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import { buildTables } from '../../src/load/index.ts';
import { ChaosWorld } from '../chaos/world.ts';

const HOSTILE = {
  id: `x'); drop table puffle.leads; --`,
  title: `Robert"); DROP TABLE puffle.sync_state; --`,
  '"; drop table puffle.sync_runs; --': `'; delete from puffle.leads where ''='`,
  'title" text); --': 'column-looking name',
  _deleted_at: '2020-01-01T00:00:00Z',
  _run_id: 'not-a-run',
  raw: { smuggled: true },
  $1: '$2',
};

describe('hostile field names and values', () => {
  const disposers: Array<() => Promise<void>> = [];
  let w: ChaosWorld;

  beforeAll(async () => {
    w = await ChaosWorld.open({ track: (d) => disposers.push(d) }, { label: 'sqlid', seed: 8, scale: 60 });
  });
  afterAll(async () => {
    for (const d of disposers.reverse()) await d();
  });

  const shape = () =>
    w.withDb((db) =>
      db.query<{ t: string; c: string }>(
        sql`select table_name as t, column_name as c from information_schema.columns
             where table_schema = 'puffle' order by 1, 2`,
      ),
    );

  it('land as data and change no table or column', { timeout: 60_000 }, async () => {
    expect((await w.syncInProcess({ run: { streams: ['leads'] } })).status).toBe('succeeded');
    const before = await shape();
    const tables = new Set(before.map((r) => r.t));
    for (const name of STREAM_NAMES) expect(tables.has(name), name).toBe(true);
    expect([...tables].filter((t) => !(STREAM_NAMES as readonly string[]).includes(t)).sort()).toEqual(
      [
        '__puffle_sync_migrations',
        ...Object.keys(buildTables('puffle').bookkeeping),
        ...Object.keys(buildTables('puffle').children),
      ].sort(),
    );

    const inserted = w.sim.mutate.insert('leads', '', HOSTILE);
    const run = await w.syncInProcess({ run: { streams: ['leads'] } });
    expect(run.status).toBe('succeeded');
    expect(await shape()).toEqual(before);

    const [row] = await w.withDb((db) =>
      db.query<{ raw: Record<string, unknown>; title: string; deleted: string | null; run: string }>(
        sql`select raw, title, _deleted_at as deleted, _run_id as run from puffle.leads where id = ${HOSTILE.id}`,
      ),
    );
    expect(row).toBeDefined();
    expect(row!.raw).toEqual(JSON.parse(JSON.stringify(inserted)));
    expect(row!.title).toBe(HOSTILE.title);
    // Fields named like lineage columns stay in raw; the lineage columns are ours.
    expect(row!.deleted).toBeNull();
    expect(row!.run).toBe(run.runId);
    const [counts] = await w.withDb((db) =>
      db.query<{ leads: number; runs: number }>(
        sql`select (select count(*)::int from puffle.leads) as leads, (select count(*)::int from puffle.sync_runs) as runs`,
      ),
    );
    expect(counts!.leads).toBe(w.sim.count('leads'));
    expect(counts!.runs).toBeGreaterThan(0);
  });
});
