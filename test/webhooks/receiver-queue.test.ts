/**
 * `puffle-sync webhooks` with a queue, as a user runs it: the receiver and two workers are CLI
 * processes sharing Postgres and Redis; the receiver has no API key (it only records events and
 * queues `webhook` jobs), the workers run the targeted syncs.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncQueue } from '../../src/jobs/queue/index.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { generateWebhookSecret, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { type CliResult, startCli } from '../helpers/cli.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';
import { queueEnv, startWorkerProcess, type WorkerProcess } from '../jobs/queue-helpers.ts';
import { deliver, signalRow, waitUntil, webhookRuns } from './helpers.ts';

describe('webhooks receiver with a queue and two workers', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let workers: WorkerProcess[] = [];
  let receiver: { child: ReturnType<typeof startCli>['child']; done: Promise<CliResult> };
  let endpoint: string;
  const prefix = uniquePrefix('webhooks');
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    sim = await startSimulator({ scale: 300, seed: 6, rateLimit: null });
    pg = await createTestDatabase('webhooks_queue');
    await syncOnce(sim, { databaseUrl: pg.url }, { streams: ['signals', 'research_people'] });
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const target = { sim, databaseUrl: pg.url, prefix, key: sim.keys[0]! };
    workers = [startWorkerProcess(target), startWorkerProcess(target)];
    await Promise.all(workers.map((w) => w.ready));
    const { PUFFLE_API_KEY: _key, ...withoutKey } = queueEnv(target);
    receiver = startCli(['webhooks', '--port', '0'], { ...withoutKey, PUFFLE_WEBHOOK_SECRET: secret });
    endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      receiver.child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      receiver.child.once('exit', () => reject(new Error(`receiver exited: ${out}`)));
    });
    sim.setWebhookTarget({ url: endpoint, secret });
  });
  afterAll(async () => {
    receiver?.child.kill('SIGTERM');
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all([receiver?.done, ...workers.map((w) => w.done)]);
    const sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
    await sq.queue.obliterate({ force: true }).catch(() => {});
    await sq.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('puts a new signal in the warehouse through a worker, within seconds', async () => {
    const record = sim.mutate.insert('signals');
    const row = await waitUntil(() => signalRow(db, record.id), 'the signal row', 15_000);
    expect(row.raw).toEqual([...sim.expected('signals')].find((e) => e.record.id === record.id)!.record);
    expect(await webhookRuns(db)).toBe(1);
    await waitUntil(
      async () => workers.some((w) => w.log().includes('"name":"webhook"')),
      'a worker to log the webhook job',
    );
  });

  it('refuses a forged delivery with 401: no event, no job, no API request', async () => {
    const requests = sim.requestCount;
    const body = JSON.stringify({ type: 'signal.detected', timestamp: new Date().toISOString(), data: {} });
    expect((await deliver(endpoint, body, { secret: generateWebhookSecret() })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.requestCount).toBe(requests);
    const [n] = await db.query<{ n: number }>(sql`select count(*)::int as n from puffle.webhook_events`);
    expect(n!.n).toBe(1);
  });

  it('syncs nothing twice for a replay, and coalesces a burst', async () => {
    const runs = await webhookRuns(db);
    sim.resendWebhook(sim.webhookDeliveries[0]!.id);
    await waitUntil(async () => sim.webhookDeliveries.length === 2, 'the replay');
    expect(sim.webhookDeliveries[1]!.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await webhookRuns(db)).toBe(runs);

    const records = Array.from({ length: 15 }, () => sim.mutate.insert('signals'));
    for (const r of records) await waitUntil(() => signalRow(db, r.id), `signal ${r.id}`, 15_000);
    const made = (await webhookRuns(db)) - runs;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(2);
  });
});
