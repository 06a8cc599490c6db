/** Delivery verification: Svix's headers or the unbranded ones, one secret or two (a rotation). */
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signPayload } from '../../src/simulator/index.ts';
import { createVerifier, describeEvent, parseEnvelope } from '../../src/webhooks/index.ts';

const now = () => Math.floor(Date.now() / 1000);

function headers(secret: string, body: string, opts: { id?: string; ts?: number; brand?: string } = {}) {
  const id = opts.id ?? 'msg_1';
  const ts = opts.ts ?? now();
  const brand = opts.brand ?? 'svix';
  return {
    [`${brand}-id`]: id,
    [`${brand}-timestamp`]: String(ts),
    [`${brand}-signature`]: signPayload(secret, id, ts, body),
  };
}

describe('createVerifier', () => {
  const current = generateWebhookSecret();
  const previous = generateWebhookSecret();
  const body = '{"type":"signal.detected","timestamp":"2026-01-01T00:00:00Z","data":{"id":"s1"}}';

  it('accepts a delivery signed with either configured secret, under either header brand', () => {
    const v = createVerifier([current, previous]);
    expect(v.verify(Buffer.from(body), headers(current, body))).toBe('msg_1');
    expect(v.verify(Buffer.from(body), headers(previous, body, { brand: 'webhook' }))).toBe('msg_1');
    // Svix signing with both secrets during its own rotation: any matching signature passes.
    const both = headers(previous, body);
    both['svix-signature'] =
      `v1,bm90LWl0 ${signPayload(current, 'msg_1', Number(both['svix-timestamp']), body)}`;
    expect(createVerifier([current]).verify(Buffer.from(body), both)).toBe('msg_1');
  });

  it('refuses another secret, a changed body or id, a timestamp outside 5 minutes, missing headers', () => {
    const v = createVerifier([current]);
    expect(v.verify(Buffer.from(body), headers(previous, body))).toBeUndefined();
    expect(v.verify(Buffer.from(`${body} `), headers(current, body))).toBeUndefined();
    expect(v.verify(Buffer.from(body), { ...headers(current, body), 'svix-id': 'msg_2' })).toBeUndefined();
    expect(v.verify(Buffer.from(body), headers(current, body, { ts: now() - 301 }))).toBeUndefined();
    expect(v.verify(Buffer.from(body), headers(current, body, { ts: now() + 301 }))).toBeUndefined();
    expect(v.verify(Buffer.from(body), headers(current, body, { ts: now() - 280 }))).toBe('msg_1');
    expect(v.verify(Buffer.from(body), {})).toBeUndefined();
  });
});

describe('events', () => {
  it('maps each documented type to its stream; the payload only bounds the walk', () => {
    const at = '2026-03-01T10:00:00.000Z';
    const signal = parseEnvelope(
      JSON.stringify({ type: 'signal.created', timestamp: at, data: { id: 's', detected_at: at } }),
    )!;
    expect(describeEvent('m', signal)).toEqual({
      messageId: 'm',
      type: 'signal.created',
      stream: 'signals',
      objectId: 's',
      expectStatus: undefined,
      detectedAt: at,
      eventAt: at,
    });
    const research = parseEnvelope(JSON.stringify({ type: 'research.failed', data: { id: 7 } }))!;
    expect(describeEvent('m', research)).toMatchObject({
      stream: 'research_people',
      objectId: '7',
      expectStatus: 'failed',
    });
    const other = parseEnvelope(JSON.stringify({ type: 'campaign.launched', data: { id: 'c' } }))!;
    expect(describeEvent('m', other)).toMatchObject({ stream: undefined, objectId: undefined });
    expect(parseEnvelope('not json')).toBeUndefined();
    expect(parseEnvelope('{"data":{}}')).toBeUndefined();
  });
});
