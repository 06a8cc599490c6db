/**
 * The secrets canary for prefix-less echoes: Puffle's proxy answers with an HTML error page that
 * repeats the key *without* its `pk_live_` prefix (the simulator's `echo` fault). The page reaches
 * every channel puffle-sync has — inline `sync` (human table and `--json`), its logs with
 * `err.stack`, `status` (table and JSON), sync_runs, a queued run's BullMQ failure reason and
 * stack trace in Redis, `sync --queue --wait --json`, the dashboard's /metrics, /healthz and Bull
 * Board API — and commander's own messages get the key through mistyped flags. The scan then
 * looks for the key, its suffix and its base64 everywhere; it must find nothing, while the
 * redaction marks show the echo did arrive. The inline runs are also handed a webhook signing
 * secret and a hash key (hashing a column), which the scan looks for too.
 */
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../../src/dashboard/index.ts';
import { ChaosQueue } from '../chaos/queue.ts';
import { ChaosWorld } from '../chaos/world.ts';
import { testRedisUrl } from '../helpers/services.ts';
import { scanForSecrets } from './secret-scan.ts';

const TOKEN = 'canary-dashboard-token-0123456789';
const WEBHOOK_SECRET = 'whsec_Q0FOQVJZd2ViaG9va3NlY3JldDAxMjM0NTY3';
const HASH_KEY = 'canary-hash-key-0123456789abcdef-0123456789';
/** The other secrets, given to the inline runs. */
const SECRETS = {
  PUFFLE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  PUFFLE_HASH_KEY: HASH_KEY,
  PUFFLE_HASH_COLUMNS: 'campaigns.signature',
};

/** Every string, hash and stream (BullMQ's event log) under `prefix`, as one text. */
async function redisText(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  for (const key of await redis.keys(`${prefix}:*`)) {
    const type = await redis.type(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return out.join('\n');
}

describe('secrets canary: prefix-less echoes on every output channel', () => {
  const disposers: Array<() => Promise<void>> = [];
  let w: ChaosWorld;
  let q: ChaosQueue;

  beforeAll(async () => {
    w = await ChaosWorld.open({ track: (d) => disposers.push(d) }, { label: 'canary', seed: 3, scale: 60 });
    q = await ChaosQueue.open(w, 'canary');
  });
  afterAll(async () => {
    for (const d of disposers.reverse()) await d();
  });

  // About 20 CLI processes: minutes on a loaded 2-core machine.
  it('finds the key nowhere', { timeout: 400_000 }, async () => {
    const suffix = w.key.slice('pk_live_'.length);
    expect(suffix).toMatch(/^CHAOSCANARY_/);

    // Inline: a rejected request whose page echoes the key, in --json and in the human table.
    w.sim.setFaults([{ kind: 'echo', status: 403, path: '/api/campaigns' }]);
    const json = await w.cli(['sync', '--json', '--streams', 'campaigns'], SECRETS);
    expect(json.code, json.stderr.slice(-300)).toBe(1);
    const summary = JSON.parse(json.stdout) as { streams: Array<{ error?: { message: string } }> };
    expect(summary.streams[0]?.error?.message).toContain('authorization=<redacted>');
    const table = await w.cli(['sync', '--streams', 'campaigns'], SECRETS);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('authorization=<redacted>');

    // A retried 500 echo: logged with its error and stack, then the run goes on.
    w.sim.setFaults([{ kind: 'echo', path: '/api/lists', nth: [1] }]);
    const retried = await w.cli(['sync', '--streams', 'lists'], SECRETS);
    expect(retried.code, retried.stderr.slice(-300)).toBe(0);
    expect(retried.stderr).toContain('transient failure; retrying');
    expect(retried.stderr).toContain('"stack"');
    expect(retried.stderr).toContain('<redacted>');
    w.sim.setFaults([]);

    // Tables and JSON of `status`, which repeat the last error per stream.
    for (const res of await Promise.all([w.cli(['status'], SECRETS), w.cli(['status', '--json'], SECRETS)])) {
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('<redacted>');
    }

    // Commander's own messages: mistyped flags, stray arguments, unknown commands.
    const mistyped = [
      ['sync', `--kye=${w.key}`],
      ['sync', `--kye=${suffix}`],
      ['sync', '--kye', suffix],
      ['sync', suffix],
      [suffix],
      ['status', `--key=${w.key}`],
      ['sync', '--concurrency', suffix],
      ['sync', '--streams', suffix],
      ['schedule', '--cron', suffix],
      ['sync', `--kye=${WEBHOOK_SECRET}`],
      ['webhooks', '--prot', WEBHOOK_SECRET.slice('whsec_'.length)],
      ['sync', HASH_KEY],
    ];
    for (const [i, res] of (await Promise.all(mistyped.map((args) => w.cli(args, SECRETS)))).entries()) {
      expect(res.code, `${mistyped[i]!.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
    }

    // Queued: the echo fails a partition job for good; BullMQ keeps its reason and stack in Redis.
    w.sim.setFaults([{ kind: 'echo', status: 403, path: '/api/campaigns' }]);
    const worker = q.startWorker();
    const queued = await w.cli(['sync', '--queue', '--wait', '--json', '--streams', 'campaigns'], q.env());
    expect(queued.code, queued.stderr.slice(-300)).toBe(1);
    expect(queued.stdout).toContain('<redacted>');
    // Failed partition jobs are removed at once; their failedReason stays in the queue's event log.
    const events = await redisText(q.sq.redis!, q.prefix);
    expect(events).toMatch(
      /"failedReason","\[request_rejected\] RequestRejectedError: [^"]*authorization=<redacted>/,
    );
    w.sim.setFaults([]);

    const dashboard = await startDashboard({
      databaseUrl: w.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: q.prefix,
      port: 0,
      token: TOKEN,
      logger: w.captureLogger(),
    });
    try {
      for (const path of [
        '/metrics',
        '/healthz',
        '/queues/api/queues?activeQueue=sync&status=failed&page=1',
        '/queues/api/queues?activeQueue=sync&status=completed&page=1',
      ]) {
        const res = await fetch(`${dashboard.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status, path).toBe(200);
        w.output.push(`${path}\n${await res.text()}`);
      }
    } finally {
      await dashboard.close();
    }
    worker.child.kill('SIGTERM');
    await worker.done;

    const found = await scanForSecrets({
      keys: [...w.keys, WEBHOOK_SECRET, WEBHOOK_SECRET.slice('whsec_'.length), HASH_KEY],
      output: w.output,
      databaseUrl: w.databaseUrl,
    });
    expect(found).toEqual([]);
    // The echo did reach us: the redaction marks are in the stored errors too.
    const rows = await w.withDb((db) =>
      db.query<{ m: string }>(
        sql`select error_message as m from puffle.sync_runs where error_message like '%authorization=<redacted>%'`,
      ),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(w.sim.sideEffectCalls).toBe(0);
  });
});
