/**
 * A worker process's own port (`worker --port`): `/metrics` counts the jobs it processed and the
 * request-budget waits of a real queued run; `/readyz` probes Postgres and Redis and turns 503
 * when the warehouse database disappears (dropped under it), while `/healthz` (liveness) stays 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRun, followRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import {
  type QueueTarget,
  queueConfig,
  startWorkerProcess,
  type WorkerProcess,
  waitFor,
} from './queue-helpers.ts';

const KEY = 'pk_live_workerHttpKey0123456';
const STREAMS = ['account', 'campaigns', 'campaign_leads'] as const;

/** `name{labels} value` samples of one family, keyed by their label text. */
function samples(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name) out[m[2] ?? ''] = Number(m[3]);
  }
  return out;
}

describe('worker /metrics, /readyz and /healthz', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: WorkerProcess;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 40, seed: 5, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('workerhttp');
    // 1200 a minute: slots 50 ms apart, so a run waits on pacing and the waits are counted.
    const target: QueueTarget = {
      sim,
      databaseUrl: pg.url,
      prefix: uniquePrefix('whttp'),
      key: KEY,
      perMinute: 1200,
    };
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    sq = openSyncQueue(queueConfig(target));
    worker = startWorkerProcess(target, ['--port', '0']);
    await worker.ready;
    await waitFor(() => worker.log().includes('serving /healthz'), 10_000, 'the worker port');
    base = `http://127.0.0.1:${/"port":(\d+)[^\n]*serving \/healthz/.exec(worker.log())![1]}`;
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await worker?.done;
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close().catch(() => {});
    await pg?.drop();
    await sim?.close();
  });

  it('/metrics counts the jobs of a queued run and its request-budget waits', async () => {
    const runId = await enqueueRun(sq.queue, { streams: [...STREAMS] });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status, JSON.stringify(summary)).toBe('succeeded');
    // The run job completes just after its row is closed.
    const scrape = async () => (await fetch(`${base}/metrics`)).text();
    await waitFor(
      async () =>
        (samples(await scrape(), 'puffle_sync_worker_jobs_completed_total')['kind="run"'] ?? 0) === 1,
    );
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const completed = samples(text, 'puffle_sync_worker_jobs_completed_total');
    expect(completed['kind="run"']).toBe(1);
    expect(completed['kind="stream"']).toBe(STREAMS.length);
    expect(completed['kind="partition"']).toBe(2 + sim.partitions('campaign_leads').length);
    expect(Object.values(samples(text, 'puffle_sync_worker_jobs_failed_total'))).toEqual([]);
    for (const [kind, n] of Object.entries(samples(text, 'puffle_sync_worker_jobs_active')))
      expect(n, kind).toBe(0);
    // Requests sent closer together than the 50 ms slots wait for theirs; none waits twice.
    const waits = samples(text, 'puffle_sync_worker_budget_waits_total');
    expect(waits['cause="pacing"']).toBeGreaterThan(0);
    expect(waits['cause="pacing"']).toBeLessThanOrEqual(sim.requestCount);
    expect(waits['cause="blocked"']).toBe(0);
    const seconds = samples(text, 'puffle_sync_worker_budget_wait_seconds_total')['cause="pacing"']!;
    expect(seconds).toBeGreaterThan(0);
    // Concurrent requests queue for slots, so together they may wait longer than one slot each,
    // but none longer than the run took.
    expect(seconds).toBeLessThan((sim.requestCount * summary.durationMs) / 1000);
    expect(Object.keys(samples(text, 'puffle_sync_build_info'))[0]).toContain('role="worker"');
    expect(text).not.toContain(KEY);
  });

  it('/readyz is 200 while Postgres and Redis answer, 503 naming postgres once its database is gone', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, postgres: 'ok', redis: 'ok' });

    await db.close();
    await pg.drop(); // WITH (FORCE): the worker's connections are cut and the database is gone
    const t0 = Date.now();
    const res = await fetch(`${base}/readyz`);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; postgres: unknown; redis: unknown };
    expect(body.ok).toBe(false);
    expect(body.redis).toBe('ok');
    expect(body.postgres).toEqual({ error: expect.stringMatching(/^(3D000|57P01|unreachable)$/) });
    expect(JSON.stringify(body)).not.toContain(pg.url.split('/').pop()!);
    // Liveness is about the process, not its backends: an orchestrator must not restart it for this.
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
  });
});
