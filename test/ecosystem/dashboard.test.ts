/**
 * The dashboard against real services: a database synced from the simulator (with one injected
 * 500 and one 429), a BullMQ queue holding one run job, and the HTTP routes over a socket.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { VERSION } from '../../src/extract/version.ts';
import { enqueueRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { finishRun, migrate, openDatabase, reopenRun, startRun } from '../../src/load/index.ts';
import { startCli } from '../helpers/cli.ts';
import { migrateAsFirstRelease } from '../helpers/first-release-migrations.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';
import { type SyncedDatabase, syncedDatabase } from './synced-fixture.ts';

const TOKEN = 'dash-token-for-tests';

/** Every sample of a family whose labels include `labels`, keyed by the remaining labels. */
function samplesOf(text: string, name: string, labels: Record<string, string> = {}): Record<string, number> {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)))
      out[have.filter((h) => !want.includes(h)).join(',')] = Number(m[3]);
  }
  return out;
}

/** The value of the one sample with exactly these labels, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samplesOf(text, name, labels)[''];
}

describe('dashboard', () => {
  let synced: SyncedDatabase;
  let sq: SyncQueue;
  let dashboard: Dashboard;
  const prefix = uniquePrefix('dash');

  beforeAll(async () => {
    synced = await syncedDatabase('dash', {
      // Globs, not prefixes: `/api/campaigns` alone would also match `/api/campaigns/settings` and
      // `/api/lists/{id}/rows`, whose streams may ask first.
      faults: [
        { kind: '500', path: '/api/campaigns*', nth: [1] },
        { kind: '429', path: '/api/lists*', nth: [1] },
      ],
    });
    sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
    await enqueueRun(sq.queue, { streams: ['campaigns'] });
    dashboard = await startDashboard({
      databaseUrl: synced.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      port: 0,
    });
  });
  afterAll(async () => {
    await dashboard?.close();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await synced?.close();
  });

  it('binds 127.0.0.1 by default', () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('/healthz is 200 JSON when Postgres and Redis answer', async () => {
    const res = await fetch(`${dashboard.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, postgres: 'ok', redis: 'ok' });
  });

  it('/metrics reports the synced records, requests, retries, 429s and queue depth', async () => {
    const res = await fetch(`${dashboard.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const { sim } = synced;
    for (const stream of ['campaigns', 'leads', 'threads'] as const) {
      expect(sample(text, 'puffle_sync_records_total', { stream, outcome: 'inserted' }), stream).toBe(
        sim.count(stream),
      );
      expect(sample(text, 'puffle_sync_records_total', { stream, outcome: 'read' })).toBe(sim.count(stream));
      expect(sample(text, 'puffle_sync_records_total', { stream, outcome: 'updated' })).toBe(0);
      expect(sample(text, 'puffle_sync_requests_total', { stream, status: '200' })).toBeGreaterThan(0);
      expect(sample(text, 'puffle_sync_last_success_timestamp_seconds', { stream })).toBeGreaterThan(
        Date.now() / 1000 - 600,
      );
    }
    expect(sample(text, 'puffle_sync_retries_total', { stream: 'campaigns' })).toBe(1);
    expect(sample(text, 'puffle_sync_rate_limited_total', { stream: 'lists' })).toBe(1);
    expect(sample(text, 'puffle_sync_rate_limit_wait_seconds_total', { stream: 'lists' })).toBeGreaterThan(
      0.5,
    );
    expect(sample(text, 'puffle_sync_runs_total', { trigger: 'manual', status: 'succeeded' })).toBe(1);
    expect(sample(text, 'puffle_sync_last_run_duration_seconds', { stream: '*' })).toBeGreaterThan(0);
    expect(sample(text, 'puffle_sync_stream_runs_total', { stream: 'leads', status: 'succeeded' })).toBe(1);
    expect(sample(text, 'puffle_sync_partitions', { stream: 'campaign_leads', state: 'complete' })).toBe(
      sim.partitions('campaign_leads').length,
    );
    const queued =
      (sample(text, 'puffle_sync_queue_jobs', { queue: 'sync', state: 'waiting' }) ?? 0) +
      (sample(text, 'puffle_sync_queue_jobs', { queue: 'sync', state: 'prioritized' }) ?? 0);
    expect(queued).toBe(1);
    expect(sample(text, 'puffle_sync_queue_jobs', { queue: 'sync', state: 'failed' })).toBe(0);
    expect(sample(text, 'puffle_sync_dashboard_source_up', { source: 'postgres' })).toBe(1);
    expect(sample(text, 'puffle_sync_dashboard_source_up', { source: 'redis' })).toBe(1);
    expect(text).not.toContain('pk_live_');
    expect(text).not.toContain(sim.keys[0]!);
  });

  it('/metrics counts requests by HTTP status exactly as the simulator answered them', async () => {
    const text = await (await fetch(`${dashboard.url}/metrics`)).text();
    for (const [stream, path] of [
      ['campaigns', '/api/campaigns'],
      ['lists', '/api/lists'],
    ] as const) {
      const answered: Record<string, number> = {};
      for (const r of synced.sim.requests.filter((r) => r.path === path))
        answered[`status="${r.status}"`] = (answered[`status="${r.status}"`] ?? 0) + 1;
      expect(samplesOf(text, 'puffle_sync_requests_total', { stream }), stream).toEqual(answered);
    }
    // The injected faults, by name: one 500 on campaigns, one 429 on lists.
    expect(sample(text, 'puffle_sync_requests_total', { stream: 'campaigns', status: '500' })).toBe(1);
    expect(sample(text, 'puffle_sync_requests_total', { stream: 'lists', status: '429' })).toBe(1);
  });

  it('serves the status page at / linking Bull Board at /queues, which lists the sync queue', async () => {
    const root = await fetch(`${dashboard.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(200);
    const html = await root.text();
    expect(html).toContain('<title>puffle-sync status</title>');
    expect(html).toContain('href="/queues"');
    // The selection column: on for a default stream, off for the opt-in one nobody named.
    const row = (stream: string) =>
      new RegExp(`<tr[^>]*data-stream="${stream}"[\\s\\S]*?</tr>`).exec(html)?.[0];
    expect(row('campaigns')).toContain('<td class="selected">on</td>');
    expect(row('network_connection_details')).toContain('off (opt-in)');
    const page = await fetch(`${dashboard.url}/queues`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>puffle-sync</title>');
    const api = (await (await fetch(`${dashboard.url}/queues/api/queues`)).json()) as {
      queues: Array<{ name: string; counts: Record<string, number> }>;
    };
    expect(api.queues.map((q) => q.name)).toEqual(['sync']);
  });

  // Last in this describe: it adds runs to the shared fixture.
  it('counts finished runs only, runs in progress in a gauge, and never lowers a counter', async () => {
    const scrape = async () => (await fetch(`${dashboard.url}/metrics`)).text();
    // Every final status is there from the first run on, at 0 until one happens.
    const runs = (text: string) =>
      Object.fromEntries(
        Object.entries(samplesOf(text, 'puffle_sync_runs_total', { trigger: 'manual' })).map(([k, v]) => [
          k.replace(/^status="(.*)"$/, '$1'),
          v,
        ]),
      );
    const running = (text: string) => sample(text, 'puffle_sync_runs_running', { trigger: 'manual' }) ?? 0;
    const database = await openDatabase({
      databaseUrl: synced.databaseUrl,
      dataDir: '',
      schema: 'puffle',
      poolSize: 1,
    });
    try {
      const runId = await startRun(database, { trigger: 'manual', streams: ['account'] });
      let text = await scrape();
      expect(runs(text)).toEqual({ succeeded: 1, failed: 0, partial: 0 });
      expect(running(text)).toBe(1);
      expect(text).not.toMatch(/_runs_total\{[^}]*status="running"/);

      await finishRun(database, runId, { status: 'failed', housekeeping: false });
      text = await scrape();
      expect(runs(text)).toEqual({ succeeded: 1, failed: 1, partial: 0 });
      expect(running(text)).toBe(0);

      // A stopped full refresh continued later: its row leaves `failed`, the counter does not.
      await reopenRun(database, runId);
      text = await scrape();
      expect(runs(text)).toEqual({ succeeded: 1, failed: 1, partial: 0 });
      expect(running(text)).toBe(1);
      await finishRun(database, runId, { status: 'succeeded', housekeeping: false });
      expect(runs(await scrape())).toEqual({ succeeded: 2, failed: 1, partial: 0 });

      // A later failure still counts, on top of the kept one.
      const next = await startRun(database, { trigger: 'manual', streams: ['account'] });
      await finishRun(database, next, { status: 'failed', housekeeping: false });
      text = await scrape();
      expect(runs(text)).toEqual({ succeeded: 2, failed: 2, partial: 0 });
      expect(
        samplesOf(text, 'puffle_sync_build_info', { role: 'dashboard', node: process.versions.node }),
      ).toEqual({ [`version="${VERSION}"`]: 1 });
    } finally {
      await database.close();
    }
  });

  it('with a token, every route but /healthz needs it (Bearer or basic-auth password)', async () => {
    const guarded = await startDashboard({
      databaseUrl: synced.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      port: 0,
      token: TOKEN,
    });
    try {
      for (const path of ['/metrics', '/queues', '/queues/api/queues']) {
        const res = await fetch(`${guarded.url}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
        const wrong = await fetch(`${guarded.url}${path}`, { headers: { authorization: 'Bearer nope' } });
        expect(wrong.status, path).toBe(401);
      }
      const bearer = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(bearer.status).toBe(200);
      const basic = Buffer.from(`anyone:${TOKEN}`).toString('base64');
      const viaBasic = await fetch(`${guarded.url}/queues/api/queues`, {
        headers: { authorization: `Basic ${basic}` },
      });
      expect(viaBasic.status).toBe(200);
      expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('/healthz is 503 and /metrics still answers when Postgres is unreachable', async () => {
    const broken = await startDashboard({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/nothing',
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      port: 0,
      backendTimeoutMs: 1000,
    });
    try {
      const health = await fetch(`${broken.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        ok: false,
        postgres: { error: 'ECONNREFUSED' },
        redis: 'ok',
      });
      const metrics = await (await fetch(`${broken.url}/metrics`)).text();
      expect(sample(metrics, 'puffle_sync_dashboard_source_up', { source: 'postgres' })).toBe(0);
      expect(sample(metrics, 'puffle_sync_dashboard_source_up', { source: 'redis' })).toBe(1);
    } finally {
      await broken.close();
    }
  });

  it('/healthz is 503 when Redis is unreachable', async () => {
    const broken = await startDashboard({
      databaseUrl: synced.databaseUrl,
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: prefix,
      port: 0,
      backendTimeoutMs: 500,
    });
    try {
      const health = await fetch(`${broken.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, postgres: 'ok', redis: { error: 'timeout' } });
      const metrics = await (await fetch(`${broken.url}/metrics`)).text();
      expect(sample(metrics, 'puffle_sync_dashboard_source_up', { source: 'redis' })).toBe(0);
      expect(sample(metrics, 'puffle_sync_records_total', { stream: 'leads', outcome: 'read' })).toBe(
        synced.sim.count('leads'),
      );
    } finally {
      await broken.close();
    }
  });

  it('/metrics answers before any migration (no tables yet) and without Redis', async () => {
    const empty = await createTestDatabase('dash_empty');
    const bare = await startDashboard({ databaseUrl: empty.url, port: 0 });
    try {
      const res = await fetch(`${bare.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sample(text, 'puffle_sync_dashboard_source_up', { source: 'postgres' })).toBe(1);
      expect(sample(text, 'puffle_sync_dashboard_source_up', { source: 'redis' })).toBeUndefined();
      expect(samplesOf(text, 'puffle_sync_requests_total')).toEqual({});
      expect(await (await fetch(`${bare.url}/healthz`)).json()).toEqual({
        ok: true,
        postgres: 'ok',
        redis: 'not configured',
      });
    } finally {
      await bare.close();
      await empty.drop();
    }
  });

  it('/metrics on a warehouse a newer dashboard is ahead of: old requests count as status "unknown"', async () => {
    const old = await createTestDatabase('dash_old');
    const d = await openDatabase({ databaseUrl: old.url, dataDir: '', schema: 'puffle', poolSize: 1 });
    const dash = await startDashboard({ databaseUrl: old.url, port: 0 });
    try {
      await migrateAsFirstRelease(d);
      await d.query(sql`insert into puffle.sync_runs (run_id, stream, trigger, status, started_at, finished_at, requests)
        values ('r1', 'leads', 'manual', 'succeeded', now(), now(), 7)`);
      const before = await (await fetch(`${dash.url}/metrics`)).text();
      expect(samplesOf(before, 'puffle_sync_requests_total')).toEqual({
        'stream="leads",status="unknown"': 7,
      });
      // Workers restarted on the new version migrate; new requests then carry their status.
      await migrate(d);
      await d.query(sql`update puffle.sync_runs set requests = 10, requests_by_status = '{"200": 3}'`);
      const after = await (await fetch(`${dash.url}/metrics`)).text();
      expect(samplesOf(after, 'puffle_sync_requests_total', { stream: 'leads' })).toEqual({
        'status="200"': 3,
        'status="unknown"': 7,
      });
    } finally {
      await dash.close();
      await d.close();
      await old.drop();
    }
  });

  it('`puffle-sync dashboard --port 0` serves until SIGTERM, then exits 0', async () => {
    const { child, done } = startCli(['dashboard', '--port', '0'], {
      DATABASE_URL: synced.databaseUrl,
      REDIS_URL: testRedisUrl(),
      PUFFLE_QUEUE_PREFIX: prefix,
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`dashboard exited early: ${out}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
  });

  it('`puffle-sync dashboard` without DATABASE_URL nor an embedded database is a configuration error (exit 2)', async () => {
    const { done } = startCli(['dashboard', '--port', '0'], {
      REDIS_URL: testRedisUrl(),
      PUFFLE_SYNC_DATA_DIR: join(tmpdir(), `puffle-no-such-dir-${process.pid}`),
    });
    const result = await done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL is not set and');
    expect(result.stderr).toContain('holds no embedded database');
  });
});
