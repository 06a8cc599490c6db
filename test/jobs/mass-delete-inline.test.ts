/**
 * The mass-delete guard end to end, inline runner, real Postgres, the simulator over HTTP: a walk
 * that misses many leads holds them (rows live, a warning, counts in sync_runs, status, /metrics
 * and the freshness view); the next walk confirms what it misses again and releases what it sees;
 * `--accept-mass-deletes` and PUFFLE_ACCEPT_MASS_DELETES apply at once; churn is swept as before;
 * an empty first page (every lead gone) is held whole.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configOf } from '../../src/cli/config-options.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { startDashboard } from '../../src/dashboard/index.ts';
import { deleteGuardOf } from '../../src/jobs/delete-guard.ts';
import { runSync } from '../../src/jobs/run-sync.ts';
import { openRuntime } from '../../src/jobs/runtime.ts';
import { collectStatus, formatStatus } from '../../src/jobs/status/index.ts';
import { type Database, listHeldDeletions, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';

describe('mass-delete guard (inline sync, leads)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  let removed: Record<string, unknown>[] = [];

  const configWith = (env: Record<string, string> = {}): Config =>
    loadConfig({
      PUFFLE_API_BASE_URL: sim.url,
      DATABASE_URL: pg.url,
      PUFFLE_RATE_LIMIT_PER_MIN: '60000',
      PUFFLE_REQUEST_TIMEOUT_MS: '5000',
      ...env,
    });
  const sync = async (config: Config = configWith()) => {
    const runtime = await openRuntime(config, logger, { apiKey: sim.keys[0]! });
    try {
      return await runSync(
        { db: runtime.db, client: runtime.client, locks: runtime.locks, logger },
        { streams: ['leads'], lookbackMs: 0, deleteGuard: deleteGuardOf(config) },
      );
    } finally {
      await runtime.close();
    }
  };
  const leadIds = () => [...sim.expected('leads')].map((e) => String(e.record.id));
  const removeLeads = (n: number) => {
    const gone = [...sim.expected('leads')].slice(0, n).map((e) => e.record);
    for (const r of gone) sim.mutate.remove('leads', String(r.id));
    removed = gone;
    return gone.map((r) => String(r.id));
  };
  const liveLeads = async () =>
    (
      await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.leads where _deleted_at is null`,
      )
    )[0]!.n;
  const runRow = async (runId: string) =>
    (
      await db.query<{ deleted: number; held: number; status: string }>(
        sql`select deleted, held_deletions as held, status from puffle.sync_runs where run_id = ${runId} and stream = 'leads'`,
      )
    )[0];

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 3, rateLimit: null });
    pg = await createTestDatabase('c11_guard');
    const first = await sync();
    expect(first.status).toBe('succeeded');
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
  });
  afterAll(async () => {
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('holds a mass deletion: rows stay live, one warning, counts in sync_runs, status, /metrics, freshness', async () => {
    const total = leadIds().length;
    expect(total).toBeGreaterThan(40);
    const n = Math.ceil(total * 0.3);
    removeLeads(n);
    lines.length = 0;
    const summary = await sync();
    expect(summary.status).toBe('succeeded');
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: 0, held: n });
    expect(await liveLeads()).toBe(total);
    expect(await runRow(summary.runId)).toMatchObject({ deleted: 0, held: n, status: 'succeeded' });

    const warnings = lines.map((l) => JSON.parse(l) as { msg: string; held?: number }).filter((l) => l.held);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain(`leads: held ${n} of ${total} live rows`);
    expect(warnings[0]!.msg).toContain('--accept-mass-deletes');

    expect(await listHeldDeletions(db)).toEqual([
      expect.objectContaining({ stream: 'leads', partition: '', held: n, live: total }),
    ]);
    const status = await collectStatus(db);
    expect(status.streams.find((s) => s.stream === 'leads')!.heldDeletions).toBe(n);
    expect(formatStatus(status)).toContain(`leads: ${n} deletions held`);
    const [fresh] = await db.query<{ held: number }>(
      sql`select held_deletions::int as held from puffle_analytics.freshness where stream = 'leads'`,
    );
    expect(fresh?.held).toBe(n);

    const dashboard = await startDashboard({ databaseUrl: pg.url, port: 0 });
    try {
      const text = await (await fetch(`${dashboard.url}/metrics`)).text();
      expect(text).toContain(`puffle_sync_held_deletions{stream="leads"} ${n}`);
    } finally {
      await dashboard.close();
    }
  });

  it('the next walk confirms the rows it misses again and releases the rows it sees (a partial confirmation)', async () => {
    const held = removed.length;
    const back = removed.slice(0, 5);
    for (const r of back) sim.mutate.insert('leads', '', r);
    const total = leadIds().length + held - back.length;
    const summary = await sync();
    expect(summary.status).toBe('succeeded');
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: held - back.length, held: 0 });
    expect(await liveLeads()).toBe(total - (held - back.length));
    expect(await listHeldDeletions(db)).toEqual([]);
    const backIds = back.map((r) => String(r.id));
    const [revived] = await db.query<{ n: number }>(
      sql`select count(*)::int as n from puffle.leads where _deleted_at is null and id = any(${sql.param(backIds)}::text[])`,
    );
    expect(revived?.n).toBe(back.length);
  });

  it('a walk that sees every held row again cancels the hold', async () => {
    const total = leadIds().length;
    const n = Math.ceil(total * 0.25);
    removeLeads(n);
    expect((await sync()).streams[0]!.counts).toMatchObject({ deleted: 0, held: n });
    for (const r of removed) sim.mutate.insert('leads', '', r);
    const summary = await sync();
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: 0, held: 0 });
    expect(await listHeldDeletions(db)).toEqual([]);
    expect(await liveLeads()).toBe(total);
  });

  it('normal churn is swept at once, as before', async () => {
    const total = leadIds().length;
    removeLeads(2);
    const summary = await sync();
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: 2, held: 0 });
    expect(await liveLeads()).toBe(total - 2);
  });

  it('--accept-mass-deletes applies a mass deletion at once, held rows included', async () => {
    const total = leadIds().length;
    const n = Math.ceil(total * 0.3);
    removeLeads(n);
    expect((await sync()).streams[0]!.counts).toMatchObject({ held: n });
    const more = removeLeads(Math.ceil((total - n) * 0.3)).length;
    const cmd = buildProgram().commands.find((c) => c.name() === 'sync')!;
    cmd.parseOptions(['--accept-mass-deletes']);
    const config = configOf(cmd);
    expect(config.acceptMassDeletes).toBe(true);
    const summary = await sync({ ...configWith(), acceptMassDeletes: config.acceptMassDeletes });
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: n + more, held: 0 });
    expect(await liveLeads()).toBe(total - n - more);
    expect(await listHeldDeletions(db)).toEqual([]);
  });

  it('PUFFLE_ACCEPT_MASS_DELETES=true applies a mass deletion at once', async () => {
    const total = leadIds().length;
    const n = removeLeads(Math.ceil(total * 0.3)).length;
    const summary = await sync(configWith({ PUFFLE_ACCEPT_MASS_DELETES: 'true' }));
    expect(summary.streams[0]!.counts).toMatchObject({ deleted: n, held: 0 });
    expect(await liveLeads()).toBe(total - n);
  });

  it('an empty first page (every lead gone) is held whole, then confirmed by the next walk', async () => {
    const total = leadIds().length;
    removeLeads(total);
    const summary = await sync();
    expect(summary.status).toBe('succeeded');
    expect(summary.streams[0]!.counts).toMatchObject({ read: 0, deleted: 0, held: total });
    expect(await liveLeads()).toBe(total);
    const again = await sync();
    expect(again.streams[0]!.counts).toMatchObject({ deleted: total, held: 0 });
    expect(await liveLeads()).toBe(0);
  });
});
