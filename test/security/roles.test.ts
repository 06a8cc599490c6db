/**
 * The "Database roles" GRANTs of docs/running-in-production.md, run as written: the sync's role
 * (owner of its two schemas, nothing else) syncs and migrates; the BI role reads the clean views
 * and nothing in `puffle`, also after migrate rebuilt a view; the read-only role runs `status`
 * (which no longer migrates) and the dashboard, and cannot write.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { adminDatabaseUrl, createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const DOC = fileURLToPath(new URL('../../docs/running-in-production.md', import.meta.url));

/** The ```sql block under "## Database roles". */
function grantsFromDocs(): string {
  const text = readFileSync(DOC, 'utf8');
  const section = text.split('\n## Database roles\n')[1]!.split('\n## ')[0]!;
  return /```sql\n([\s\S]*?)```/.exec(section)![1]!;
}

describe('database roles from docs/running-in-production.md', () => {
  let sim: Simulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const suffix = randomBytes(3).toString('hex');
  const roles = {
    puffle_sync: `ps_sync_${suffix}`,
    puffle_bi: `ps_bi_${suffix}`,
    puffle_read: `ps_read_${suffix}`,
  };
  const urlAs = (role: string) => {
    const u = new URL(db.url);
    u.username = role;
    u.password = 'change-me';
    return u.toString();
  };
  const as = async <T>(role: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: urlAs(role) });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ scale: 120, seed: 6, rateLimit: null });
    db = await createTestDatabase('roles');
    let statements = grantsFromDocs().replace(/\bwarehouse\b/g, new URL(db.url).pathname.slice(1));
    for (const [doc, test] of Object.entries(roles))
      statements = statements.replace(new RegExp(`\\b${doc}\\b`, 'g'), test);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(statements);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
    const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    for (const role of Object.values(roles)) await admin.query(`drop role if exists ${role}`).catch(() => {});
    await admin.end();
  });

  it('the sync role syncs (and migrates) with nothing but its two schemas', async () => {
    const summary = await syncOnce(sim, { databaseUrl: urlAs(roles.puffle_sync) });
    expect(summary.status).toBe('succeeded');
  });

  it('the BI role reads the clean views and nothing in the tables', async () => {
    await as(roles.puffle_bi, async (c) => {
      const { rows } = await c.query('select count(*)::int as n from puffle_analytics.campaign_leads');
      expect(rows[0].n).toBe(sim.count('campaign_leads'));
      expect((await c.query('select * from puffle_analytics.freshness')).rows).toHaveLength(
        STREAM_NAMES.length,
      );
      await expect(c.query('select count(*) from puffle.campaign_leads')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(c.query('select count(*) from puffle.sync_runs')).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('keeps reading a view that migrate had to rebuild (default privileges)', async () => {
    await as(roles.puffle_sync, (c) => c.query(`drop view puffle_analytics.signals`));
    expect((await syncOnce(sim, { databaseUrl: urlAs(roles.puffle_sync) })).status).toBe('succeeded');
    await as(roles.puffle_bi, async (c) => {
      const { rows } = await c.query('select count(*)::int as n from puffle_analytics.signals');
      expect(rows[0].n).toBe(sim.count('signals'));
    });
  });

  it('the read-only role runs status, cannot write, and a role without rights gets a one-line answer', async () => {
    const status = await runCli(['status', '--json'], { DATABASE_URL: urlAs(roles.puffle_read) });
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as { streams: { stream: string; rows: number }[] };
    expect(report.streams.find((s) => s.stream === 'leads')!.rows).toBe(sim.count('leads'));
    await as(roles.puffle_read, async (c) => {
      await expect(
        c.query(
          `insert into puffle.sync_runs (run_id, stream, trigger, status, started_at) values ('x', '*', 'manual', 'running', now())`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
    });
    const denied = await runCli(['status'], { DATABASE_URL: urlAs(roles.puffle_bi) });
    expect(denied.code).toBe(2);
    expect(denied.stderr.trim()).toBe(
      'puffle-sync: this database role cannot read schema "puffle": grant it USAGE and SELECT (docs/running-in-production.md, "Database roles")',
    );
  });

  it('the dashboard serves /metrics and /healthz with the read-only role', async () => {
    let dashboard: Dashboard | undefined;
    try {
      dashboard = await startDashboard({ databaseUrl: urlAs(roles.puffle_read), port: 0 });
      const health = await fetch(`${dashboard.url}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${dashboard.url}/metrics`)).text();
      expect(metrics).toContain('puffle_sync_dashboard_source_up{source="postgres"} 1');
      expect(metrics).toMatch(/puffle_sync_records_total\{stream="leads",outcome="inserted"\} [1-9]/);
    } finally {
      await dashboard?.close();
    }
  });
});
