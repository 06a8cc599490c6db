/**
 * `puffle-sync webhooks` without a queue, against the simulator delivering signed webhooks to it,
 * over real HTTP into real Postgres: a new signal reaches the warehouse with no `sync` run; a
 * forged delivery is refused and costs no API request; a replay syncs nothing twice; unknown
 * types are acknowledged and ignored; a burst makes one or two syncs; research events re-walk
 * research people; a `sync` running at that moment is waited for, not failed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { lockForInlineSync, lockForWebhookSync } from '../../src/jobs/inline-lock.ts';
import { type Database, openDatabase, recordWebhookEvent } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { generateWebhookSecret, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { startWebhookService, type WebhookService } from '../../src/webhooks/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';
import { deliver, eventRows, signalRow, svixHeaders, waitUntil, webhookRuns } from './helpers.ts';

describe('webhooks receiver, no queue', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: WebhookService;
  let db: Database;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    sim = await startSimulator({ scale: 300, seed: 5, rateLimit: null });
    pg = await createTestDatabase('webhooks_inline');
    // A warehouse that was synced once, as a user's would be.
    await syncOnce(sim, { databaseUrl: pg.url }, { streams: ['signals', 'research_people'] });
    const config = loadConfig({
      PUFFLE_API_KEY: sim.keys[0],
      PUFFLE_API_BASE_URL: sim.url,
      DATABASE_URL: pg.url,
      PUFFLE_RATE_LIMIT_PER_MIN: '6000',
      PUFFLE_WEBHOOK_SECRET: secret,
    });
    service = await startWebhookService(config, silentLogger, { port: 0 });
    sim.setWebhookTarget({ url: service.receiver.endpoint, secret });
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
  });
  afterAll(async () => {
    await service?.close();
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  it('puts a new signal in the warehouse within seconds, as the API serves it, with no sync run', async () => {
    expect(service.mode).toBe('inline');
    const runsBefore = await webhookRuns(db);
    const record = sim.mutate.insert('signals');
    const row = await waitUntil(() => signalRow(db, record.id), 'the signal row', 10_000);
    const served = [...sim.expected('signals')].find((e) => e.record.id === record.id)!.record;
    expect(row.raw).toEqual(served);
    expect(sim.webhookDeliveries.at(-1)).toMatchObject({ type: 'signal.detected', status: 200, attempt: 1 });
    expect(await webhookRuns(db)).toBe(runsBefore + 1);
    const [event] = await db.query<{ status: string; run: string }>(
      sql`select status, run_id as run from puffle.webhook_events where message_id = ${sim.webhookDeliveries.at(-1)!.id}`,
    );
    expect(event).toEqual({ status: 'synced', run: row.run });
  });

  it('refuses a forged, tampered, stale or unsigned delivery with 401 and asks the API nothing', async () => {
    const requests = sim.requestCount;
    const events = (await eventRows(db)).length;
    const body = JSON.stringify({
      type: 'signal.detected',
      timestamp: new Date().toISOString(),
      data: { id: 'forged', detected_at: new Date().toISOString() },
    });
    const endpoint = service.receiver.endpoint;
    const answers = await Promise.all([
      deliver(endpoint, body, { secret: generateWebhookSecret() }), // wrong secret
      deliver(endpoint, body), // no signature at all
      deliver(endpoint, body, { secret, timestamp: Math.floor(Date.now() / 1000) - 600 }), // too old
      deliver(endpoint, body, {
        headers: {
          'svix-id': 'msg_x',
          'svix-timestamp': String(Math.floor(Date.now() / 1000)),
          'svix-signature': 'v1,AAAA',
        },
      }),
      // Signed, then the body changed on the way.
      deliver(endpoint, body.replace('forged', 'forge2'), {
        headers: svixHeaders(secret, 'msg_tampered', body),
      }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 1500)); // longer than a coalescing window and a sync
    expect(sim.requestCount).toBe(requests);
    expect((await eventRows(db)).length).toBe(events);
  });

  it('answers a replay 200 and syncs nothing twice', async () => {
    const record = sim.mutate.insert('signals');
    await waitUntil(() => signalRow(db, record.id), 'the signal row');
    const first = sim.webhookDeliveries.at(-1)!;
    const runs = await webhookRuns(db);
    const requests = sim.requestCount;
    sim.resendWebhook(first.id);
    const replay = await waitUntil(
      async () => sim.webhookDeliveries.find((d) => d.id === first.id && d !== first),
      'the replayed delivery',
    );
    expect(replay.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await webhookRuns(db)).toBe(runs);
    expect(sim.requestCount).toBe(requests);
  });

  it('syncs an event a receiver accepted but never synced (it crashed): the sweep finds it', async () => {
    sim.setWebhookTarget(null);
    const record = sim.mutate.insert('signals');
    sim.setWebhookTarget({ url: service.receiver.endpoint, secret });
    // What a receiver killed right after answering 200 leaves behind.
    await recordWebhookEvent(db, {
      messageId: 'msg_orphan',
      type: 'signal.detected',
      stream: 'signals',
      objectId: String(record.id),
      detectedAt: String(record.createdAt),
    });
    await db.query(
      sql`update puffle.webhook_events set received_at = now() - interval '10 seconds' where message_id = 'msg_orphan'`,
    );
    await waitUntil(() => signalRow(db, record.id), 'the orphaned event to be synced', 20_000);
    // The row lands with the targeted sync's page; the event is settled right after, on its own.
    await waitUntil(
      async () => (await eventRows(db)).find((e) => e.id === 'msg_orphan' && e.status === 'synced'),
      'the orphaned event to be settled as synced',
    );
  });

  it('acknowledges an unknown event type and ignores it', async () => {
    const requests = sim.requestCount;
    const id = sim.emitWebhook('campaign.launched', { id: 'c1' })!;
    const delivery = await waitUntil(
      async () => sim.webhookDeliveries.find((d) => d.id === id),
      'the delivery',
    );
    expect(delivery.status).toBe(200);
    const rows = await eventRows(db);
    expect(rows.find((r) => r.id === id)).toEqual({ id, status: 'ignored', type: 'campaign.launched' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.requestCount).toBe(requests);
  });

  it('coalesces a burst: twenty new signals, at most two syncs', async () => {
    const runs = await webhookRuns(db);
    const records = Array.from({ length: 20 }, () => sim.mutate.insert('signals'));
    for (const r of records) await waitUntil(() => signalRow(db, r.id), `signal ${r.id}`);
    expect((await webhookRuns(db)) - runs).toBeLessThanOrEqual(2);
    expect((await webhookRuns(db)) - runs).toBeGreaterThanOrEqual(1);
  });

  it('re-walks research people when a research completes or fails, alongside a signal', async () => {
    const people = [...sim.expected('research_people')].map((e) => e.record);
    const running = people.find((p) => p.status === 'running')!;
    const idle = people.find((p) => p.status === 'idle')!;
    const runsBefore = await webhookRuns(db);
    sim.mutate.update('research_people', String(running.id), { status: 'complete' });
    sim.mutate.update('research_people', String(idle.id), { status: 'failed' });
    const signal = sim.mutate.insert('signals'); // another stream at the same moment
    const statusOf = async (id: unknown) => {
      const [row] = await db.query<{ status: string }>(
        sql`select status from puffle.research_people where id = ${String(id)}`,
      );
      return row?.status;
    };
    await waitUntil(async () => (await statusOf(running.id)) === 'complete', 'research complete');
    await waitUntil(async () => (await statusOf(idle.id)) === 'failed', 'research failed');
    await waitUntil(() => signalRow(db, signal.id), 'the signal');
    const types = sim.webhookDeliveries.slice(-3).map((d) => d.type);
    expect(types.sort()).toEqual(['research.complete', 'research.failed', 'signal.detected']);
    // One sync per stream, one after the other — not one of them waiting out a busy retry.
    const runs = await db.query<{ streams: string[]; started: number }>(sql`
      select streams, extract(epoch from started_at)::float8 as started from puffle.sync_runs
      where stream = '*' and trigger = 'webhook' order by started_at offset ${runsBefore}`);
    expect(runs.map((r) => r.streams[0]).sort()).toEqual(['research_people', 'signals']);
    expect(Math.abs(runs[1]!.started - runs[0]!.started)).toBeLessThan(4.5);
  });

  it('waits for a `sync` running at that moment: the sync succeeds, then the webhook sync runs', async () => {
    const sync = syncOnce(
      sim,
      { databaseUrl: pg.url },
      { streams: ['campaigns', 'campaign_leads', 'leads'] },
    );
    await waitUntil(
      async () =>
        (
          await db.query(
            sql`select 1 from puffle.sync_runs where stream = '*' and trigger = 'manual' and status = 'running'`,
          )
        ).length > 0,
      'the sync to start',
    );
    const record = sim.mutate.insert('signals');
    const summary = await sync;
    expect(summary.status).toBe('succeeded');
    await waitUntil(() => signalRow(db, record.id), 'the signal row after the sync', 20_000);
    const [order] = await db.query<{ after: boolean }>(sql`
      select (select max(started_at) from puffle.sync_runs where trigger = 'webhook' and stream = '*')
        >= (select finished_at from puffle.sync_runs where run_id = ${summary.runId} and stream = '*') as after`);
    expect(order!.after).toBe(true);
  });

  it('makes a `sync` wait while a webhook sync holds the schema, and stand aside for another `sync`', async () => {
    const other = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      // The previous test's receiver may still be closing its webhook run: wait until it lets go.
      const held = await waitUntil(() => lockForWebhookSync(db), 'the schema lock to be free', 20_000);
      expect(await lockForWebhookSync(other)).toBeUndefined();
      const waiting = lockForInlineSync(other, { pollMs: 50 });
      await new Promise((r) => setTimeout(r, 300));
      await held.release();
      const syncLock = await waiting;
      expect(syncLock).toBeDefined();
      // A `sync` holds it now: a second `sync` stands aside at once, a webhook sync waits its turn.
      const started = Date.now();
      expect(await lockForInlineSync(db, { pollMs: 50 })).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await lockForWebhookSync(db)).toBeUndefined();
      await syncLock!.release();
    } finally {
      await other.close();
    }
  });
});
