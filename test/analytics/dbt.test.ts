/**
 * The dbt package in dbt/: identical to a fresh generation, and — dbt itself cannot be installed
 * here — the SQL its models, data tests and source freshness compile to (the macros of dbt-core
 * 1.10 / dbt-postgres, rendered here for the few Jinja forms the package uses) runs against a
 * warehouse synced from the simulator: every model builds and equals its analytics view, every
 * test passes, and a planted orphan makes the relationships test fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DBT_DIR,
  generatedFilesOnDisk,
  renderDbtPackage,
  SOURCE,
  STAGING_DIR,
  stagingModel,
} from '../../scripts/gen-dbt.ts';
import { STREAMS } from '../../src/extract/streams.ts';
import { type SyncedDatabase, syncedDatabase } from '../ecosystem/synced-fixture.ts';

const MODELS_SCHEMA = 'puffle_dbt';
const files = renderDbtPackage();

/** The Jinja the package uses, rendered as dbt would for schema `puffle`. */
function compile(text: string): string {
  const out = text
    .replace(/\{\{ env_var\('PUFFLE_SYNC_SCHEMA', 'puffle'\) \}\}/g, 'puffle')
    .replace(/\{\{ source\('(\w+)', '(\w+)'\) \}\}/g, (_, src: string, t: string) => sourceRelation(src, t))
    .replace(/\{\{ ref\('(\w+)'\) \}\}/g, (_, m: string) => `"${MODELS_SCHEMA}"."${m}"`);
  if (out.includes('{{') || out.includes('{%')) throw new Error(`uncompiled Jinja left in: ${out}`);
  return out;
}

function sourceRelation(source: string, table: string): string {
  if (source !== SOURCE) throw new Error(`unknown source ${source}`);
  return `"puffle"."${table}"`;
}

/** `source('puffle', 'x')` / `ref('m')` as written in a relationships test's `to`. */
const relationOf = (to: string) => compile(`{{ ${to} }}`);

interface DbtColumn {
  name: string;
  description: string;
  data_tests?: unknown[];
}

interface DbtEntry {
  name: string;
  description: string;
  columns: DbtColumn[];
  data_tests?: unknown[];
  meta?: { primary_key: string[] };
  config?: { loaded_at_query?: string };
}

interface TestSpec {
  column_name?: string;
  config?: { severity?: 'warn' | 'error' };
  arguments?: { to: string; field: string };
}

interface TestCase {
  name: string;
  severity: 'error' | 'warn';
  sql: string;
}

/** dbt's generic tests (dbt-core 1.10 global project), compiled for one model and column. */
function genericTest(model: string, column: string | undefined, test: unknown): Omit<TestCase, 'name'> {
  const [kind, spec] =
    typeof test === 'string'
      ? [test, {} as TestSpec]
      : (Object.entries(test as object)[0] as [string, TestSpec]);
  const col = spec.column_name ?? column;
  const severity = spec.config?.severity ?? 'error';
  switch (kind) {
    case 'unique':
      return {
        severity,
        sql: `select ${col} as unique_field, count(*) as n_records from ${model} where ${col} is not null group by ${col} having count(*) > 1`,
      };
    case 'not_null':
      return { severity, sql: `select ${col} from ${model} where ${col} is null` };
    case 'relationships': {
      const { to, field } = spec.arguments!;
      return {
        severity,
        sql: `with child as (select ${col} as from_field from ${model} where ${col} is not null),
          parent as (select ${field} as to_field from ${relationOf(to)})
          select from_field from child left join parent on child.from_field = parent.to_field
          where parent.to_field is null`,
      };
    }
    default:
      throw new Error(`no compiler for test ${kind}`);
  }
}

function testsOf(entries: DbtEntry[], relation: (name: string) => string): TestCase[] {
  const out: TestCase[] = [];
  for (const entry of entries) {
    const model = relation(entry.name);
    for (const t of entry.data_tests ?? [])
      out.push({ name: `${entry.name}: ${JSON.stringify(t)}`, ...genericTest(model, undefined, t) });
    for (const c of entry.columns ?? [])
      for (const t of c.data_tests ?? [])
        out.push({ name: `${entry.name}.${c.name}: ${JSON.stringify(t)}`, ...genericTest(model, c.name, t) });
  }
  return out;
}

const sources = parse(files.get('models/sources.yml')!).sources[0] as {
  config: { freshness: { warn_after: { count: number } } };
  tables: DbtEntry[];
};
const staging = parse(files.get(`${STAGING_DIR}/_staging.yml`)!).models as DbtEntry[];
const sourceTests = testsOf(sources.tables, (t) => sourceRelation(SOURCE, t));
const stagingTests = testsOf(staging, (m) => `"${MODELS_SCHEMA}"."${m}"`);

describe('dbt package', () => {
  it('is identical to a fresh generation (run `npm run docs:schema`)', () => {
    const stale: string[] = [];
    for (const [path, content] of files) {
      let onDisk: string | undefined;
      try {
        onDisk = readFileSync(join(DBT_DIR, path), 'utf8');
      } catch {
        onDisk = undefined;
      }
      if (onDisk !== content) stale.push(path);
    }
    for (const path of generatedFilesOnDisk())
      if (!files.has(path)) stale.push(`${path} (no longer generated)`);
    expect(stale, 'dbt/ is stale: run `npm run docs:schema` and commit it').toEqual([]);
  });

  it('declares every table with its columns, primary key and tests, and a model per stream', () => {
    const streams = STREAMS.map((s) => s.name as string);
    const names = sources.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([...streams, 'sync_runs', 'sync_state']));
    for (const table of sources.tables) {
      expect(table.description.length, table.name).toBeGreaterThan(5);
      expect(table.meta!.primary_key.length, table.name).toBeGreaterThan(0);
      for (const c of table.columns)
        expect(c.description.length, `${table.name}.${c.name}`).toBeGreaterThan(3);
      if (streams.includes(table.name))
        expect(table.config!.loaded_at_query, table.name).toContain(`stream = '${table.name}'`);
    }
    const campaignLeads = sources.tables.find((t) => t.name === 'campaign_leads');
    const campaignId = campaignLeads!.columns.find((c) => c.name === 'campaign_id');
    expect(campaignId!.data_tests).toContainEqual({
      relationships: { arguments: { to: "source('puffle', 'campaigns')", field: 'id' } },
    });
    expect(staging.map((m) => m.name)).toEqual([...streams.map(stagingModel), stagingModel('freshness')]);
    expect(sources.config.freshness.warn_after).toEqual({ count: 26, period: 'hour' });
  });

  describe('on a warehouse synced from the simulator', () => {
    let synced: SyncedDatabase;
    let client: pg.Client;

    beforeAll(async () => {
      synced = await syncedDatabase('dbt', { scale: 150, seed: 4 });
      client = new pg.Client({ connectionString: synced.databaseUrl });
      await client.connect();
      await client.query(`create schema ${MODELS_SCHEMA}`);
    });
    afterAll(async () => {
      await client?.end();
      await synced?.close();
    });

    it('builds every staging model (as the view dbt materializes), each equal to its analytics view', async () => {
      for (const [path, content] of files) {
        if (!path.endsWith('.sql')) continue;
        const model = path.slice(STAGING_DIR.length + 1, -'.sql'.length);
        await client.query(`create view "${MODELS_SCHEMA}"."${model}" as ${compile(content)}`);
      }
      for (const def of STREAMS) {
        const model = `"${MODELS_SCHEMA}"."${stagingModel(def.name)}"`;
        const view = `puffle_analytics.${def.name}`;
        const { rows } = await client.query(`select
          (select count(*) from ${model})::int as n,
          (select count(*) from (select * from ${model} except all select * from ${view}) d)::int as extra,
          (select count(*) from (select * from ${view} except all select * from ${model}) d)::int as missing`);
        expect(rows[0], def.name).toEqual({ n: expect.any(Number), extra: 0, missing: 0 });
        expect(rows[0].n, def.name).toBeGreaterThan(0);
      }
      const cols = 'stream, last_success_at, rows, deleted_rows, last_run_status, last_run_error';
      const { rows } = await client.query(`select count(*)::int as n from (
        select ${cols} from "${MODELS_SCHEMA}"."${stagingModel('freshness')}"
        except all select ${cols} from puffle_analytics.freshness) d`);
      expect(rows[0].n).toBe(0);
    });

    it.each(sourceTests.map((t) => [t.name, t] as const))('source test %s passes', async (_, t) => {
      const { rows } = await client.query(
        `select count(*)::int as failures from (${t.sql}) dbt_internal_test`,
      );
      expect(rows[0].failures, `${t.severity}: ${t.sql}`).toBe(0);
    });

    it.each(stagingTests.map((t) => [t.name, t] as const))('staging test %s passes', async (_, t) => {
      const { rows } = await client.query(
        `select count(*)::int as failures from (${t.sql}) dbt_internal_test`,
      );
      expect(rows[0].failures, t.sql).toBe(0);
    });

    it('source freshness (loaded_at_query) reads the newest successful sync of each stream', async () => {
      for (const table of sources.tables) {
        if (!table.config?.loaded_at_query) continue;
        // dbt-adapters' collect_freshness_custom_sql.
        const { rows } = await client.query(`with source_query as (${compile(table.config.loaded_at_query)})
          select (select * from source_query) as max_loaded_at, now() as snapshotted_at`);
        expect(rows[0].max_loaded_at, table.name).toBeInstanceOf(Date);
        const ageHours = (rows[0].snapshotted_at - rows[0].max_loaded_at) / 3_600_000;
        expect(ageHours, table.name).toBeLessThan(sources.config.freshness.warn_after.count);
      }
    });

    it('the tests can fail: an orphan prospect breaks the relationships test, a hidden parent does not', async () => {
      const relationships = sourceTests.find(
        (t) => t.name.startsWith('campaign_leads.campaign_id') && t.name.includes('relationships'),
      )!;
      const failures = async (t: TestCase) =>
        (await client.query(`select count(*)::int as n from (${t.sql}) d`)).rows[0].n;
      await client.query(`insert into puffle.campaign_leads (id, campaign_id, raw, _synced_at)
        values ('orphan-prospect', 'no-such-campaign', '{}', now())`);
      try {
        expect(await failures(relationships)).toBe(1);
      } finally {
        await client.query(`delete from puffle.campaign_leads where id = 'orphan-prospect'`);
      }
      // A soft-deleted campaign hides its prospects from the staging model: the staging relationships still hold.
      await client.query(`update puffle.campaigns set _deleted_at = now()
        where id = (select campaign_id from puffle.campaign_leads limit 1)`);
      const staged = stagingTests.filter((t) =>
        t.name.startsWith(`${stagingModel('campaign_leads')}.campaign_id`),
      );
      expect(staged).toHaveLength(1);
      for (const t of staged) expect(await failures(t), t.name).toBe(0);
    });
  });
});
