/** Authentication (401 forms, revocation mid-flight), error formats, rate limits and Retry-After. */
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.ts';
import { getJson } from './walk.ts';

let sim: Simulator | undefined;
const start = async (opts: SimulatorOptions) => {
  sim = await startSimulator({ scale: 50, ...opts });
  return sim;
};
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const raw = (s: Simulator, path: string, headers: Record<string, string> = {}) =>
  fetch(s.url + path, { headers });

describe('auth', () => {
  it.each([
    ['missing', {}],
    ['not Bearer', { authorization: 'Token pk_live_abc' }],
    ['not a pk_live_ key', { authorization: 'Bearer sk_test_abc' }],
    ['unknown key', { authorization: 'Bearer pk_live_unknown' }],
  ])('%s → 401 unauthorized envelope without echoing the key', async (_label, headers) => {
    const s = await start({ rateLimit: null });
    const res = await raw(s, '/api/campaigns', headers);
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('unauthorized');
    expect(text).not.toContain('pk_live_unknown');
  });

  it('accepts every configured key and a key added later; a revoked key gets 401', async () => {
    const s = await start({ keys: ['pk_live_one', 'pk_live_two'], rateLimit: null });
    expect((await getJson(s, '/api/account', 'pk_live_two')).status).toBe(200);
    s.addKey('pk_live_three');
    expect((await getJson(s, '/api/account', 'pk_live_three')).status).toBe(200);
    s.revokeKey('pk_live_one');
    const { status, body } = await getJson(s, '/api/account', 'pk_live_one');
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ code: 'unauthorized', message: 'API key was revoked' });
    expect(s.keys).toEqual(['pk_live_two', 'pk_live_three']);
  });

  it('revoking a key while requests are in flight makes them fail 401', async () => {
    const s = await start({ rateLimit: null, latencyMs: 1000 });
    const key = s.keys[0] as string;
    const inFlight = Promise.all([1, 2, 3].map(() => getJson(s, '/api/leads?limit=5', key)));
    // All three have arrived and passed auth (the log entry and the key check happen together).
    while (s.requestCount < 3) await new Promise((r) => setTimeout(r, 5));
    expect(s.requests.map((r) => r.keyTail)).toEqual(Array(3).fill(key.slice(-4)));
    s.revokeKey(key);
    const results = await inFlight;
    expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(results[0]?.body.error).toMatchObject({ code: 'unauthorized', message: 'API key was revoked' });
  });

  it('generates a pk_live_ key when none is given, and logs only its last 4 characters', async () => {
    const s = await start({ rateLimit: null });
    expect(s.keys[0]).toMatch(/^pk_live_[0-9a-f]{32}$/);
    await getJson(s, '/api/account');
    expect(s.requests[0]?.keyTail).toBe(s.keys[0]?.slice(-4));
    expect(JSON.stringify(s.requests)).not.toContain(s.keys[0]);
  });
});

describe('error formats', () => {
  it('flat {"error":"…"} when configured, switchable at run time', async () => {
    const s = await start({ rateLimit: null, errorFormat: 'flat' });
    const { status, body } = await getJson(s, '/api/lists/nope/leads');
    expect(status).toBe(404);
    expect(typeof body.error).toBe('string');
    s.setErrorFormat('nested');
    expect((await getJson(s, '/api/lists/nope/leads')).body.error).toMatchObject({ code: 'not_found' });
  });

  it('non-GET requests are refused and counted as side effects', async () => {
    const s = await start({ rateLimit: null });
    const res = await fetch(`${s.url}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.keys[0]}` },
      body: '{}',
    });
    expect(res.status).toBe(405);
    expect(s.sideEffectCalls).toBe(1);
  });
});

describe('rate limit', () => {
  it('allows `limit` requests per window per key, then 429 rate_limited with Retry-After seconds', async () => {
    const s = await start({ keys: ['pk_live_a', 'pk_live_b'], rateLimit: { limit: 5, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await getJson(s, '/api/account', 'pk_live_a')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const r = await getJson(s, '/api/account', 'pk_live_a');
    expect(r.body.error).toMatchObject({ code: 'rate_limited' });
    const secs = Number(r.headers.get('retry-after'));
    expect(secs).toBeGreaterThanOrEqual(55);
    expect(secs).toBeLessThanOrEqual(60);
    expect((await getJson(s, '/api/account', 'pk_live_b')).status).toBe(200);
  });

  it('is a sliding window: capacity returns as old requests age out', async () => {
    const s = await start({ rateLimit: { limit: 2, windowMs: 1500 } });
    expect((await getJson(s, '/api/account')).status).toBe(200);
    expect((await getJson(s, '/api/account')).status).toBe(200);
    // Both accepted requests arrived before now: 1.6 s from here they have left the window.
    const t0 = Date.now();
    expect((await getJson(s, '/api/account')).status).toBe(429);
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 1600 - Date.now())));
    expect((await getJson(s, '/api/account')).status).toBe(200);
  });

  it('Retry-After as an HTTP-date in the future, or absent, or mixed in turn', async () => {
    const s = await start({ rateLimit: { limit: 1, windowMs: 60_000 }, retryAfter: 'http-date' });
    await getJson(s, '/api/account');
    const dated = await getJson(s, '/api/account');
    const header = dated.headers.get('retry-after') as string;
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(header)).toBeGreaterThan(Date.now() + 50_000);
    s.setRetryAfter('absent');
    const absent = await getJson(s, '/api/account');
    expect(absent.status).toBe(429);
    expect(absent.headers.get('retry-after')).toBeNull();
    s.setRetryAfter('mixed');
    const forms = [];
    for (let i = 0; i < 3; i++) {
      const h = (await getJson(s, '/api/account')).headers.get('retry-after');
      forms.push(h === null ? 'absent' : /^\d+$/.test(h) ? 'seconds' : 'http-date');
    }
    expect(forms).toEqual(['seconds', 'http-date', 'absent']);
  });

  it('every response carries a Date header', async () => {
    const s = await start({ rateLimit: { limit: 1, windowMs: 60_000 } });
    for (const path of ['/api/account', '/api/account', '/api/nope']) {
      const res = await raw(s, path, { authorization: `Bearer ${s.keys[0]}` });
      expect(Date.parse(res.headers.get('date') ?? '')).not.toBeNaN();
    }
  });

  it('null = unlimited; setRateLimit changes it at run time', async () => {
    const s = await start({ rateLimit: null });
    for (let i = 0; i < 150; i++) expect((await getJson(s, '/api/signals/types')).status).toBe(200);
    s.setRateLimit({ limit: 1, windowMs: 60_000 });
    expect((await getJson(s, '/api/signals/types')).status).toBe(200);
    expect((await getJson(s, '/api/signals/types')).status).toBe(429);
  });

  it('the /api/v1 surface has its own documented 100 requests/minute per key', async () => {
    const s = await start({ rateLimit: { limit: 1000, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 101; i++) statuses.push((await getJson(s, '/api/v1/research')).status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(100);
    expect(statuses.at(-1)).toBe(429);
    expect((await getJson(s, '/api/account')).status).toBe(200);
  });

  it('logCap bounds the request log but not the counter', async () => {
    const s = await start({ rateLimit: null, logCap: 3 });
    for (let i = 0; i < 5; i++) await getJson(s, `/api/leads?limit=${i + 1}`);
    expect(s.requestCount).toBe(5);
    expect(s.requests.map((r) => r.query.limit)).toEqual(['3', '4', '5']);
  });

  it('the default is 100 requests per minute', async () => {
    const s = await start({});
    let ok = 0;
    for (let i = 0; i < 101; i++) if ((await getJson(s, '/api/signals/types')).status === 200) ok++;
    expect(ok).toBe(100);
  });
});
