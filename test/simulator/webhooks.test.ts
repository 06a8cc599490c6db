/**
 * The simulator delivers webhooks the way Svix does: signed per the published scheme (checked
 * against Svix's own test vector and the `standardwebhooks` library), retried on failure with the
 * same message id, fired by new signals and finished research, controllable over /__admin/.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  type Simulator,
  signPayload,
  startSimulator,
} from '../../src/simulator/index.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint answering each delivery with the next status of `statuses` (then 200). */
async function endpoint(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const until = async (ok: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('simulator webhooks', () => {
  let sim: Simulator;
  let ep: Awaited<ReturnType<typeof endpoint>>;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 3, rateLimit: null, webhookRetryScheduleMs: [50, 50] });
  });
  afterAll(async () => {
    await sim?.close();
  });
  afterEach(async () => {
    sim.setWebhookTarget(null);
    await ep?.close();
  });

  it("signs like Svix: the published test vector, and Svix's verifier accepts what it sends", async () => {
    expect(
      signPayload(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');

    ep = await endpoint();
    sim.setWebhookTarget({ url: ep.url, secret });
    const record = sim.mutate.insert('signals');
    await until(() => ep.received.length === 1, 'one delivery');
    const { headers, body } = ep.received[0]!;
    expect(headers['svix-id']).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    expect(Math.abs(Number(headers['svix-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    const verified = new Webhook(secret).verify(body, {
      'webhook-id': String(headers['svix-id']),
      'webhook-timestamp': String(headers['svix-timestamp']),
      'webhook-signature': String(headers['svix-signature']),
    });
    expect(verified).toMatchObject({
      type: 'signal.detected',
      data: {
        id: record.id,
        signal_type_label: record.signalTypeLabel,
        headline: record.title,
        score: record.score,
        source: record.sourceId,
        detected_at: record.createdAt,
      },
    });
    expect(() =>
      new Webhook(generateWebhookSecret()).verify(body, {
        'webhook-id': String(headers['svix-id']),
        'webhook-timestamp': String(headers['svix-timestamp']),
        'webhook-signature': String(headers['svix-signature']),
      }),
    ).toThrow();
  });

  it('retries a failed delivery with the same message id, signed afresh, until it is accepted', async () => {
    ep = await endpoint([500, 503]);
    sim.setWebhookTarget({ url: ep.url, secret });
    const id = sim.emitWebhook('signal.detected', { id: 'x' })!;
    // An earlier test's delivery may be recorded late, so this message's attempts are picked by id.
    const attempts = () => sim.webhookDeliveries.filter((d) => d.id === id);
    await until(() => ep.received.length === 3, 'three attempts');
    // The endpoint sees the third attempt before the simulator records its answer.
    await until(() => attempts().length === 3, 'three attempts recorded');
    expect(ep.received.map((r) => r.headers['svix-id'])).toEqual([id, id, id]);
    expect(attempts().map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
  });

  it('fires research.complete / research.failed on the status change only, and nothing for other changes', async () => {
    ep = await endpoint();
    sim.setWebhookTarget({ url: ep.url, secret });
    const people = [...sim.expected('research_people')].map((e) => e.record);
    const running = people.find((p) => p.status === 'running')!;
    sim.mutate.update('research_people', String(running.id), { role: 'CTO' });
    sim.mutate.update('research_people', String(running.id), { status: 'complete' });
    sim.mutate.update('research_people', String(running.id), { status: 'failed' });
    sim.mutate.insert('leads');
    await until(() => ep.received.length === 2, 'two deliveries');
    await new Promise((r) => setTimeout(r, 100));
    const events = ep.received.map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.type)).toEqual(['research.complete', 'research.failed']);
    expect(events[0].data).toMatchObject({ id: running.id, first_name: running.first_name });
    expect(typeof events[0].timestamp).toBe('string');
  });

  it('is controlled over /__admin/ and serves the Svix portal URL (404 without a webhook app)', async () => {
    ep = await endpoint();
    const admin = (path: string, body?: unknown) =>
      fetch(`${sim.url}/__admin${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-admin-token': sim.adminToken, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    await admin('/webhooks', { url: ep.url, secret });
    const { id } = (await admin('/webhooks/emit', { type: 'thing.happened', data: { a: 1 } })) as {
      id: string;
    };
    await until(() => ep.received.length === 1, 'the emitted event');
    await admin('/webhooks/resend', { id });
    await until(() => ep.received.length === 2, 'the replay');
    expect(ep.received.map((r) => r.headers['svix-id'])).toEqual([id, id]);
    expect(ep.received[0]!.body).toBe(ep.received[1]!.body);
    const { deliveries } = (await admin('/webhooks')) as { deliveries: Array<{ id: string }> };
    expect(deliveries.filter((d) => d.id === id)).toHaveLength(2);
    await admin('/webhooks', { url: null });
    expect(sim.emitWebhook('x', {})).toBeUndefined();

    const get = (s: Simulator) =>
      fetch(`${s.url}/api/v1/partners/portal`, { headers: { authorization: `Bearer ${s.keys[0]}` } });
    const res = await get(sim);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { url: string }).url).toMatch(/^https:\/\/app\.svix\.com\//);
    const noApp = await startSimulator({ scale: 10, webhookApp: false });
    try {
      expect((await get(noApp)).status).toBe(404);
    } finally {
      await noApp.close();
    }
    expect(sim.sideEffectCalls).toBe(0);
  });
});
