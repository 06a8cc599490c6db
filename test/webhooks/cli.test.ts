/**
 * `puffle-sync webhooks` as a new user meets it: the real CLI, the embedded database (no
 * DATABASE_URL, no REDIS_URL), the simulator at its default rate limit delivering to it;
 * `/metrics` tells what happened; `--portal` prints the Svix portal; configuration errors are one
 * line, exit 2, and never echo the secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/load/index.ts';
import { generateWebhookSecret, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { deliver, waitUntil } from './helpers.ts';

describe('puffle-sync webhooks (CLI, embedded database)', () => {
  let sim: Simulator;
  let dir: string;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    sim = await startSimulator({ scale: 100, seed: 9 });
    dir = mkdtempSync(join(tmpdir(), 'ps-webhooks-'));
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    PUFFLE_API_KEY: sim.keys[0],
    PUFFLE_API_BASE_URL: sim.url,
    PUFFLE_SYNC_DATA_DIR: join(dir, 'db'),
    ...extra,
  });

  it('syncs a new signal with no sync command run, refuses a forgery, and reports both in /metrics', {
    timeout: 120_000,
  }, async () => {
    const { child, done } = startCli(['webhooks', '--port', '0'], env({ PUFFLE_WEBHOOK_SECRET: secret }));
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    // Generous: the embedded database starts slowly on a loaded machine.
    const endpoint = await waitUntil(async () => /listening on (\S+)/.exec(out)?.[1], 'the receiver', 45_000);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/puffle$/);
    const base = endpoint.replace(/\/webhooks\/puffle$/, '');
    const metrics = () => fetch(`${base}/metrics`).then((r) => r.text());

    sim.setWebhookTarget({ url: endpoint, secret });
    const record = sim.mutate.insert('signals');
    await waitUntil(
      async () => /delivery_to_row_seconds_count\{stream="signals"\} 1/.test(await metrics()),
      'the row to land',
      30_000,
    );
    const requests = sim.requestCount;
    const forged = await deliver(endpoint, '{"type":"signal.detected","data":{}}', {
      secret: generateWebhookSecret(),
    });
    expect(forged.status).toBe(401);
    const text = await metrics();
    expect(text).toContain('puffle_sync_webhook_events_total{type="signal.detected",outcome="accepted"} 1');
    expect(text).toContain('puffle_sync_webhook_events_total{type="unknown",outcome="rejected"} 1');
    expect(text).toContain('puffle_sync_webhook_pending_events');
    expect(sim.requestCount).toBe(requests);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(secret.slice(6));

    const db = await openDatabase({ dataDir: join(dir, 'db'), schema: 'puffle' });
    try {
      const rows = await db.query(sql`select id from puffle.signals where id = ${String(record.id)}`);
      expect(rows).toHaveLength(1);
      const [run] = await db.query<{ trigger: string; status: string }>(
        sql`select trigger, status from puffle.sync_runs where stream = '*'`,
      );
      expect(run).toEqual({ trigger: 'webhook', status: 'succeeded' });
    } finally {
      await db.close();
    }
  });

  it('--portal prints the Svix portal URL and what to do with it', async () => {
    const result = await runCli(['webhooks', '--portal'], env());
    expect(result.code, result.stderr).toBe(0);
    const [url, instructions] = result.stdout.trim().split('\n');
    expect(url).toMatch(/^https:\/\/app\.svix\.com\//);
    expect(instructions).toContain('/webhooks/puffle');
    expect(instructions).toContain('signal.detected');
    expect(instructions).toContain('PUFFLE_WEBHOOK_SECRET');
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/partners/portal',
      status: 200,
    });
    expect(sim.sideEffectCalls).toBe(0);

    const noApp = await startSimulator({ scale: 10, webhookApp: false });
    try {
      const missing = await runCli(['webhooks', '--portal'], {
        PUFFLE_API_KEY: noApp.keys[0],
        PUFFLE_API_BASE_URL: noApp.url,
      });
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toContain('404');
    } finally {
      await noApp.close();
    }
  });

  it('refuses a missing or malformed secret in one line, exit 2, without echoing it', async () => {
    const none = await runCli(['webhooks', '--port', '0'], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^puffle-sync: PUFFLE_WEBHOOK_SECRET is not set/);

    const bad = await runCli(['webhooks'], env({ PUFFLE_WEBHOOK_SECRET: 'whsec_not!base64secretvalue' }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PUFFLE_WEBHOOK_SECRET must be the Svix signing secret');
    expect(bad.stderr).not.toContain('not!base64secretvalue');

    const file = join(dir, 'secret');
    writeFileSync(file, `${secret}\n`);
    const both = await runCli(
      ['webhooks'],
      env({ PUFFLE_WEBHOOK_SECRET: secret, PUFFLE_WEBHOOK_SECRET_FILE: file }),
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    const three = await runCli(
      ['webhooks'],
      // Three different ones (a repeated secret counts once).
      env({ PUFFLE_WEBHOOK_SECRET: [secret, generateWebhookSecret(), generateWebhookSecret()].join(',') }),
    );
    expect(three.code).toBe(2);
    expect(three.stderr).toContain('at most two');
  });
});
