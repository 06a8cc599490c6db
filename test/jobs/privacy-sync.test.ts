/**
 * PUFFLE_EXCLUDE_COLUMNS / PUFFLE_HASH_COLUMNS through `puffle-sync sync` into real Postgres: an
 * excluded value appears nowhere in the database (a pg_dump of all of it, `raw` included), a hashed
 * one is the keyed HMAC and still joins; turning the setting on rewrites the rows a sync re-reads at
 * once and, on the next `--full-refresh`, the rows Puffle no longer returns; the key itself is
 * never stored or printed; bad settings are a one-line error.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/services.ts';

const run = promisify(execFile);
const KEY = 'pk_live_privacyTestKey01234567';
const HASH_KEY = 'hash-key-for-tests-0123456789abcdef-0123456789';
const EXCLUDE = 'campaign_leads.email,campaign_leads.linkedin_url,leads.contacts,list_leads.contacts';
const HASH = 'campaign_leads.name,leads.full_name,list_leads.full_name';
const hmac = (value: string) => createHmac('sha256', HASH_KEY).update(value).digest('hex');

describe('personal-data controls in a sync', () => {
  let sim: Simulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  let deletedProspect: { id: string; email: string; name: string };
  const outputs: CliResult[] = [];
  const sync = async (extra: Record<string, string> = {}, args: string[] = []) => {
    const result = await runCli(['sync', ...args], {
      PUFFLE_API_KEY: KEY,
      PUFFLE_API_BASE_URL: sim.url,
      DATABASE_URL: db.url,
      PUFFLE_RATE_LIMIT_PER_MIN: '60000',
      PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
      LOG_LEVEL: 'debug',
      ...extra,
    });
    outputs.push(result);
    return result;
  };
  const withControls = {
    PUFFLE_EXCLUDE_COLUMNS: EXCLUDE,
    PUFFLE_HASH_COLUMNS: HASH,
    PUFFLE_HASH_KEY: HASH_KEY,
  };
  const one = async <T>(text: string, params: unknown[] = []) =>
    (await client.query(text, params)).rows[0] as T;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 150, seed: 9, keys: [KEY], rateLimit: null });
    db = await createTestDatabase('privacy');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await sim?.close();
    await db?.drop();
  });

  it('without settings, stores everything; a prospect deleted in Puffle keeps its values in the table', async () => {
    expect((await sync()).code).toBe(0);
    const first = [...sim.expected('campaign_leads')][0]!.record;
    deletedProspect = { id: String(first.id), email: String(first.email), name: String(first.name) };
    sim.mutate.remove('campaign_leads', deletedProspect.id, String(first.campaign_id));
    expect((await sync()).code).toBe(0);
    const row = await one<{ email: string; deleted: boolean }>(
      'select email, _deleted_at is not null as deleted from puffle.campaign_leads where id = $1',
      [deletedProspect.id],
    );
    expect(row).toEqual({ email: deletedProspect.email, deleted: true });
  });

  it('a sync with the settings rewrites every row it reads at once; rows Puffle no longer returns wait for a full refresh', async () => {
    const result = await sync(withControls);
    expect(result.code, result.stderr).toBe(0);
    const live = await one<{ with_email: number; raw_email: number; n: number }>(`
      select count(*) filter (where email is not null)::int as with_email,
        count(*) filter (where raw ? 'email' or raw ? 'linkedin_url')::int as raw_email, count(*)::int as n
      from puffle.campaign_leads where _deleted_at is null`);
    expect(live).toEqual({ with_email: 0, raw_email: 0, n: sim.count('campaign_leads') });
    const stale = await one<{ email: string }>('select email from puffle.campaign_leads where id = $1', [
      deletedProspect.id,
    ]);
    expect(stale.email).toBe(deletedProspect.email);
  });

  it('the next --full-refresh rewrites the rest: excluded values appear nowhere in the database', async () => {
    const result = await sync(withControls, ['--full-refresh']);
    expect(result.code, result.stderr).toBe(0);
    const { stdout: dump } = await run('pg_dump', ['--data-only', db.url], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain(hmac(deletedProspect.name)); // the dump is the real data
    const leaked: string[] = [];
    const excluded = [deletedProspect.email];
    for (const { record } of sim.expected('campaign_leads'))
      if (record.email) excluded.push(String(record.email));
    for (const { record } of sim.expected('leads'))
      for (const c of (record.contacts as { value?: string }[] | undefined) ?? [])
        if (c.value) excluded.push(c.value);
    expect(excluded.length).toBeGreaterThan(50);
    for (const value of excluded) if (dump.includes(value)) leaked.push(value);
    expect(leaked).toEqual([]);
    // The deleted prospect's row: no email, a hashed name, still soft-deleted.
    const row = await one<{ email: string | null; name: string; raw_name: string; deleted: boolean }>(
      `select email, name, raw->>'name' as raw_name, _deleted_at is not null as deleted
       from puffle.campaign_leads where id = $1`,
      [deletedProspect.id],
    );
    expect(row).toEqual({
      email: null,
      name: hmac(deletedProspect.name),
      raw_name: hmac(deletedProspect.name),
      deleted: true,
    });
  });

  it('hashed values are the keyed HMAC of the value and still join across streams', async () => {
    const lead = [...sim.expected('leads')][0]!.record as { id: string; name: { full: string } };
    const row = await one<{ full_name: string; raw_full: string }>(
      `select full_name, raw->'name'->>'full' as raw_full from puffle.leads where id = $1`,
      [lead.id],
    );
    expect(row).toEqual({ full_name: hmac(lead.name.full), raw_full: hmac(lead.name.full) });
    const joined = await one<{ same: number; different: number }>(`
      select count(*) filter (where m.full_name = l.full_name)::int as same,
        count(*) filter (where m.full_name <> l.full_name)::int as different
      from puffle_analytics.list_leads m join puffle_analytics.leads l on l.id = m.id`);
    expect(joined.different).toBe(0);
    expect(joined.same).toBeGreaterThan(0);
  });

  it('never stores or prints the hash key', async () => {
    const { stdout: dump } = await run('pg_dump', [db.url], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump).not.toContain(HASH_KEY);
    for (const o of outputs) expect(`${o.stdout}${o.stderr}`).not.toContain(HASH_KEY);
  });

  it('refuses bad settings in one line (exit 2) before touching anything', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PUFFLE_HASH_COLUMNS: 'campaign_leads.email' }, /PUFFLE_HASH_COLUMNS needs PUFFLE_HASH_KEY/],
      [{ PUFFLE_EXCLUDE_COLUMNS: 'campaign_leads.emial' }, /campaign_leads has no column emial/],
      [{ PUFFLE_EXCLUDE_COLUMNS: 'campaign_leads.id' }, /key, parent or cursor column/],
      [{ PUFFLE_EXCLUDE_COLUMNS: 'email' }, /PUFFLE_EXCLUDE_COLUMNS must be a stream\.field entry/],
    ];
    for (const [env, message] of cases) {
      const result = await sync(env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
