/**
 * Webhook delay figures (issue 19; not part of `npm test`, no goal — a measurement):
 *
 *   npx tsx bench/webhook-latency.ts [events=40] [gapMs=1500] [burst=20] [scale=2000]
 *
 * The simulator at its default rate limit (100 requests/min per key) and puffle-sync at its default
 * budget (100/min). In each mode — the receiver running targeted syncs itself (no queue), then
 * the receiver queueing them for two `puffle-sync worker` processes — `events` new signals appear
 * one at a time (`gapMs` apart, ±50 % jitter), then `burst` at once; each is delivered as a signed
 * `signal.detected` webhook. Reported per scenario: median, p95 and max of
 * - delivery → row: the delivery accepted → its row committed (webhook_events.received_at → synced_at);
 * - send → row: the simulator sending the delivery → its row committed (one machine, one clock).
 * Needs Postgres and Redis (test/helpers/services.ts).
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config.ts';
import { openSyncQueue } from '../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../src/load/index.ts';
import { silentLogger } from '../src/log.ts';
import { generateWebhookSecret, type Simulator, startSimulator } from '../src/simulator/index.ts';
import { startWebhookService } from '../src/webhooks/index.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../test/helpers/services.ts';
import { syncOnce } from '../test/helpers/sync-harness.ts';
import { queueEnv, startWorkerProcess } from '../test/jobs/queue-helpers.ts';

const [events = 40, gapMs = 1500, burst = 20, scale = 2000] = process.argv.slice(2).map(Number);
const DEFAULT_BUDGET = 100;

interface Sample {
  deliveryToRowMs: number;
  sendToRowMs: number;
}

function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

function describe(label: string, samples: readonly Sample[]): string {
  const row = (name: string, v: number[]) =>
    `${name} median ${(percentile(v, 50) / 1000).toFixed(2)} s, p95 ${(percentile(v, 95) / 1000).toFixed(2)} s, max ${(Math.max(...v) / 1000).toFixed(2)} s`;
  return `${label} (${samples.length} signals)\n  delivery → row: ${row(
    '',
    samples.map((s) => s.deliveryToRowMs),
  )}\n  send → row:     ${row(
    '',
    samples.map((s) => s.sendToRowMs),
  )}`;
}

/** New signals → their rows; the delays of each, read once all have landed. */
async function measure(sim: Simulator, db: Database, count: number, gap: number): Promise<Sample[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    ids.push(String(sim.mutate.insert('signals').id));
    if (gap > 0) await new Promise((r) => setTimeout(r, gap * (0.5 + Math.random())));
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [row] = await db.query<{ n: number }>(sql`
      select count(*)::int as n from puffle.webhook_events
      where object_id = any(${sql.param(ids)}::text[]) and status = 'synced'`);
    if (row!.n === ids.length) break;
    if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${ids.length} rows landed`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const rows = await db.query<{ id: string; delivery: number; synced: number }>(sql`
    select message_id as id, extract(epoch from synced_at - received_at)::float8 * 1000 as delivery,
      extract(epoch from synced_at)::float8 * 1000 as synced
    from puffle.webhook_events where object_id = any(${sql.param(ids)}::text[])`);
  const sent = new Map(sim.webhookDeliveries.filter((d) => d.attempt === 1).map((d) => [d.id, d.at]));
  return rows.map((r) => ({ deliveryToRowMs: r.delivery, sendToRowMs: r.synced - sent.get(r.id)! }));
}

async function scenario(mode: 'inline' | 'queue'): Promise<string[]> {
  const sim = await startSimulator({ scale, seed: 1 }); // default rate limit: 100/min per key
  const pg = await createTestDatabase(`bench_webhooks_${mode}`);
  const prefix = uniquePrefix('bench-webhooks');
  const secret = generateWebhookSecret();
  const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
  await migrate(db);
  const target = { sim, databaseUrl: pg.url, prefix, key: sim.keys[0]!, perMinute: DEFAULT_BUDGET };
  const env = { ...queueEnv(target), PUFFLE_WEBHOOK_SECRET: secret };
  const workers = mode === 'queue' ? [startWorkerProcess(target), startWorkerProcess(target)] : [];
  try {
    process.stderr.write(`[${mode}] initial signals + research sync at ${DEFAULT_BUDGET}/min…\n`);
    await syncOnce(
      sim,
      { databaseUrl: pg.url },
      { streams: ['signals', 'research_people'], perMinute: DEFAULT_BUDGET },
    );
    await Promise.all(workers.map((w) => w.ready));
    const config = loadConfig(mode === 'queue' ? env : { ...env, REDIS_URL: undefined });
    const service = await startWebhookService(config, silentLogger, { port: 0 });
    try {
      sim.setWebhookTarget({ url: service.receiver.endpoint, secret });
      process.stderr.write(`[${mode}] ${events} signals, one every ~${gapMs} ms…\n`);
      const spaced = await measure(sim, db, events, gapMs);
      await new Promise((r) => setTimeout(r, 2000));
      process.stderr.write(`[${mode}] a burst of ${burst}…\n`);
      const burstSamples = await measure(sim, db, burst, 0);
      const [runs] = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.sync_runs where stream = '*' and trigger = 'webhook'`,
      );
      const label = mode === 'queue' ? 'queue + 2 workers' : 'no queue (receiver syncs)';
      return [
        describe(`${label}, spaced`, spaced),
        describe(`${label}, burst of ${burst}`, burstSamples),
        `  targeted runs: ${runs!.n} for ${events + burst} signals; requests to the simulator: ${sim.requestCount}`,
      ];
    } finally {
      await service.close();
    }
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.done));
    if (mode === 'queue') {
      const sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
      await sq.queue.obliterate({ force: true }).catch(() => {});
      await sq.close();
    }
    await db.close();
    await sim.close();
    await pg.drop();
  }
}

const lines = [...(await scenario('inline')), ...(await scenario('queue'))];
process.stdout.write(
  `\nWebhook delay at the simulator's default rate limit (100/min), budget ${DEFAULT_BUDGET}/min\n${lines.join('\n')}\n`,
);
