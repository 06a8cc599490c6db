/**
 * The analytics views on a warehouse synced from the simulator: live rows only, a deleted
 * campaign (list) hides its children although their rows stay live in the tables, `freshness`
 * per stream, a comment on every table, view and column, and the migrate that keeps them.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_TAG, migrateWarehouse } from '../../src/analytics/migration.ts';
import { streamViews } from '../../src/analytics/views.ts';
import { STREAMS } from '../../src/extract/streams.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { buildTables } from '../../src/load/schema.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const CAMPAIGN_CHILDREN = STREAMS.filter((s) => s.parent?.stream === 'campaigns').map((s) => s.name);

describe('analytics views', () => {
  let sim: Simulator;
  let pgdb: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  const count = async (text: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(text, params)).rows[0]!.n);

  beforeAll(async () => {
    sim = await startSimulator({ scale: 150, seed: 5, rateLimit: null });
    pgdb = await createTestDatabase('views');
    const first = await syncOnce(sim, { databaseUrl: pgdb.url });
    expect(first.status).toBe('succeeded');
    client = new pg.Client({ connectionString: pgdb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await sim?.close();
    await pgdb?.drop();
  });

  it('exist for every stream of the catalog, with the typed columns under their table names', async () => {
    const views = streamViews(buildTables('puffle'));
    expect(views.map((v) => v.stream)).toEqual(STREAMS.map((s) => s.name));
    for (const view of views) {
      const { rows } = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns
         where table_schema = 'puffle_analytics' and table_name = $1 order by ordinal_position`,
        [view.stream],
      );
      expect(
        rows.map((r) => r.column_name),
        view.stream,
      ).toEqual(view.columns);
      expect(view.columns, view.stream).not.toContain('_deleted_at');
      const live = await count(`select count(*) as n from puffle.${view.stream} where _deleted_at is null`);
      expect(await count(`select count(*) as n from puffle_analytics.${view.stream}`), view.stream).toBe(
        live,
      );
    }
    // Undocumented shapes keep `raw` (only the key is typed); documented ones do not.
    expect(views.find((v) => v.stream === 'signal_leads')!.columns).toContain('raw');
    expect(views.find((v) => v.stream === 'campaigns')!.columns).not.toContain('raw');
  });

  it('hide a deleted campaign and, with it, its prospects, senders, nodes, messages and usage', async () => {
    expect(CAMPAIGN_CHILDREN.sort()).toEqual(
      [
        'campaign_account_usage',
        'campaign_leads',
        'campaign_messages',
        'campaign_senders',
        'campaign_sequence_nodes',
      ].sort(),
    );
    // The campaign with the most children of every kind.
    const { rows } = await client.query<{ id: string }>(`
      select c.id from puffle.campaigns c
      where ${CAMPAIGN_CHILDREN.map((s) => `exists (select 1 from puffle.${s} x where x.campaign_id = c.id)`).join(' and ')}
      order by (select count(*) from puffle.campaign_leads l where l.campaign_id = c.id) desc limit 1`);
    const campaignId = rows[0]!.id;
    const before = new Map<string, number>();
    for (const s of CAMPAIGN_CHILDREN) {
      const n = await count(`select count(*) as n from puffle_analytics.${s} where campaign_id = $1`, [
        campaignId,
      ]);
      expect(n, s).toBeGreaterThan(0);
      before.set(s, n);
    }
    const list = (
      await client.query<{ id: string }>(`
      select l.id from puffle.lists l where exists (select 1 from puffle.list_leads m where m.list_id = l.id)
      limit 1`)
    ).rows[0]!.id;
    const lead = (await client.query<{ id: string }>('select id from puffle.leads limit 1')).rows[0]!.id;

    sim.mutate.remove('campaigns', campaignId);
    sim.mutate.remove('lists', list);
    sim.mutate.remove('leads', lead);
    const second = await syncOnce(sim, { databaseUrl: pgdb.url });
    expect(second.status).toBe('succeeded');

    // The tables: the parents are soft-deleted, their children were not walked and stay live.
    expect(
      await count('select count(*) as n from puffle.campaigns where id = $1 and _deleted_at is not null', [
        campaignId,
      ]),
    ).toBe(1);
    for (const s of CAMPAIGN_CHILDREN)
      expect(
        await count(`select count(*) as n from puffle.${s} where campaign_id = $1 and _deleted_at is null`, [
          campaignId,
        ]),
        s,
      ).toBe(before.get(s));
    expect(
      await count('select count(*) as n from puffle.list_leads where list_id = $1 and _deleted_at is null', [
        list,
      ]),
    ).toBeGreaterThan(0);

    // The views: none of them.
    expect(
      await count('select count(*) as n from puffle_analytics.campaigns where id = $1', [campaignId]),
    ).toBe(0);
    for (const s of CAMPAIGN_CHILDREN)
      expect(
        await count(`select count(*) as n from puffle_analytics.${s} where campaign_id = $1`, [campaignId]),
        s,
      ).toBe(0);
    expect(await count('select count(*) as n from puffle_analytics.lists where id = $1', [list])).toBe(0);
    expect(
      await count('select count(*) as n from puffle_analytics.list_leads where list_id = $1', [list]),
    ).toBe(0);
    expect(await count('select count(*) as n from puffle_analytics.leads where id = $1', [lead])).toBe(0);
    // Other campaigns' rows are still there.
    expect(await count('select count(*) as n from puffle_analytics.campaign_leads')).toBe(
      await count(`select count(*) as n from puffle.campaign_leads l join puffle.campaigns c on c.id = l.campaign_id
                   where l._deleted_at is null and c._deleted_at is null`),
    );
  });

  it('freshness: one row per stream with its last success, age, rows and deleted rows', async () => {
    const { rows } = await client.query('select * from puffle_analytics.freshness order by stream');
    expect(rows.map((r) => r.stream)).toEqual(STREAMS.map((s) => s.name).sort());
    for (const r of rows) {
      expect(r.last_success_at, r.stream).toBeInstanceOf(Date);
      expect(r.last_run_status, r.stream).toBe('succeeded');
      expect(r.age, r.stream).toBeDefined();
      expect(Number(r.rows), r.stream).toBe(
        await count(`select count(*) as n from puffle_analytics.${r.stream}`),
      );
      expect(Number(r.deleted_rows), r.stream).toBe(
        await count(`select count(*) as n from puffle.${r.stream} where _deleted_at is not null`),
      );
    }
    expect(Number(rows.find((r) => r.stream === 'campaigns')!.deleted_rows)).toBe(1);
  });

  it('every table, view and column carries a comment', async () => {
    const { rows } = await client.query<{ schema: string; relation: string; column: string | null }>(`
      select n.nspname as schema, c.relname as relation, null as column
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('puffle', 'puffle_analytics') and c.relkind in ('r', 'v')
        and c.relname not like '\\_\\_%' and obj_description(c.oid, 'pg_class') is null
      union all
      select n.nspname, c.relname, a.attname
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('puffle', 'puffle_analytics') and c.relkind in ('r', 'v') and a.attnum > 0
        and not a.attisdropped and c.relname not like '\\_\\_%' and col_description(c.oid, a.attnum) is null`);
    expect(rows).toEqual([]);
    const { rows: sample } = await client.query(
      `select col_description('puffle_analytics.campaign_leads'::regclass, 5) as d`,
    );
    expect(sample[0].d).toBe('Email address of the prospect.');
  });

  describe('migrate', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ databaseUrl: pgdb.url, dataDir: '', schema: 'puffle', poolSize: 2 });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('leaves up-to-date views alone, and rebuilds one dropped by hand', async () => {
      expect((await migrateWarehouse(db)).generated).toEqual([]);
      await client.query('drop view puffle_analytics.signals');
      expect((await migrateWarehouse(db)).generated).toEqual([ANALYTICS_TAG]);
      expect(await count('select count(*) as n from puffle_analytics.signals')).toBeGreaterThan(0);
    });

    it('rebuilds a view whose columns changed shape, keeping the views that depend on it working', async () => {
      // An older version's view with another column list; `create or replace` cannot turn it into ours.
      await client.query(`drop view puffle_analytics.signal_types;
        create view puffle_analytics.signal_types as select id, label as old_label, 1 as gone from puffle.signal_types`);
      await client.query(`delete from puffle.__puffle_sync_migrations where tag = $1`, [ANALYTICS_TAG]);
      expect((await migrateWarehouse(db)).generated).toEqual([ANALYTICS_TAG]);
      const { rows } = await client.query('select * from puffle_analytics.signal_types limit 1');
      expect(Object.keys(rows[0]!)).toContain('label');
      expect(Object.keys(rows[0]!)).not.toContain('gone');
    });

    it('stops with a clear error instead of dropping a view of yours that depends on a changed one', async () => {
      await client.query(`drop view puffle_analytics.signal_types;
        create view puffle_analytics.signal_types as select id, 1 as gone from puffle.signal_types;
        create view public.my_types as select * from puffle_analytics.signal_types`);
      await client.query(`delete from puffle.__puffle_sync_migrations where tag = $1`, [ANALYTICS_TAG]);
      await expect(migrateWarehouse(db)).rejects.toThrow(
        /signal_types changed its columns and views of your own depend on it/,
      );
      // Nothing was half-done: the transaction rolled back.
      expect(await count(`select count(*) as n from public.my_types`)).toBeGreaterThan(0);
      await client.query('drop view public.my_types');
      expect((await migrateWarehouse(db)).generated).toEqual([ANALYTICS_TAG]);
    });
  });
});
