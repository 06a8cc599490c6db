/** The HTTP client against a scripted node:http server: headers, classification, retries, 429s, secrecy. */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import {
  AuthRejectedError,
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  RateLimitedError,
  RequestRejectedError,
  RetryableError,
  UnsafeEndpointError,
} from '../../src/extract/index.ts';
import { createLogger } from '../../src/log.ts';
import { type RecordedBlock, recordingBudget } from '../helpers/recording-budget.ts';
import { type Fixture, json, raw, reset, stall, startFixture, truncated } from './fixture-server.ts';

const KEY = 'pk_live_fixtureSECRETkey123456';
let fx: Fixture;
let client: PuffleClient;
let logText = '';

function makeClient(over: Partial<Parameters<typeof createPuffleClient>[0]> = {}): PuffleClient {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  return createPuffleClient({
    baseUrl: fx.url,
    apiKey: KEY,
    budget: createRequestBudget({ perMinute: 60_000, keyId: 'fixture' }),
    retries: 3,
    retryPolicy: { baseMs: 5, maxMs: 20 },
    timeoutMs: 2_000,
    logger: createLogger({ level: 'debug', destination: sink }),
    ...over,
  });
}

beforeEach(async () => {
  fx = await startFixture();
  logText = '';
  client = makeClient();
});
afterEach(async () => {
  await client.close();
  await fx.close();
});

const get = (path = '/api/things', c = client) => c.get(path, { limit: 5 }, { stream: 'things' });

describe('requests', () => {
  it('sends the Bearer key, our User-Agent and the query', async () => {
    await expect(get()).resolves.toEqual({ ok: true });
    const h = fx.seen[0]!.headers;
    expect(h.authorization).toBe(`Bearer ${KEY}`);
    expect(h['user-agent']).toBe('puffle-sync/0.1.0');
    expect(fx.seen[0]!.url).toBe('/api/things?limit=5');
  });

  it('refuses plain http:// to a non-loopback host', () => {
    expect(() => makeClient({ baseUrl: 'http://api.example.com' })).toThrow(ConfigError);
  });

  it('refuses endpoints that change data before sending anything', async () => {
    await expect(get('/api/threads/abc')).rejects.toThrow(UnsafeEndpointError);
    await expect(get('/api/email/domains')).rejects.toThrow(/skip_sync=true/);
    await expect(get('/api/email/accounts/warmup-analytics')).rejects.toThrow(UnsafeEndpointError);
    expect(fx.seen).toHaveLength(0);
    await expect(get('/api/threads/abc/messages')).resolves.toEqual({ ok: true });
    // Reviewed reads outside the catalog: the Svix portal link creates nothing (webhooks --portal).
    await expect(get('/api/v1/partners/portal')).resolves.toEqual({ ok: true });
  });
});

describe('transient failures are retried with backoff', () => {
  it.each([
    [
      '500/502/503',
      [json(500, { error: 'boom' }), json(502, { error: 'bad gateway' }), raw(503, 'unavailable')],
    ],
    ['connection reset', [reset, reset]],
    ['malformed JSON on a 200', [raw(200, '{"items": [')]],
    ['truncated body', [truncated]],
  ])('%s → eventually the body, retries counted', async (_l, replies) => {
    fx.script(...replies);
    await expect(get()).resolves.toEqual({ ok: true });
    const s = client.stats().things!;
    expect(s.retries).toBe(replies.length);
    expect(s.requests).toBe(replies.length + 1);
  });

  it('a stalled response times out and is retried', async () => {
    await client.close();
    client = makeClient({ timeoutMs: 100 });
    fx.script(stall(1_000));
    await expect(get()).resolves.toEqual({ ok: true });
    expect(client.stats().things!.byStatus.timeout).toBe(1);
  });

  it('gives up after the bounded attempts with RetryableError', async () => {
    fx.script(...Array.from({ length: 10 }, () => json(503, { error: 'down' })));
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).attempts).toBe(4);
    expect((err as Error).message).toMatch(/gave up after 4 attempts/);
    expect(fx.seen).toHaveLength(4);
  });
});

describe('rejections are not retried', () => {
  it('401 → AuthRejectedError after exactly one request', async () => {
    fx.script(json(401, { error: { code: 'unauthorized', message: 'revoked' } }));
    await expect(get()).rejects.toThrow(AuthRejectedError);
    expect(fx.seen).toHaveLength(1);
    expect(client.stats().things!.retries).toBe(0);
  });

  it('404 (nested envelope) → RequestRejectedError with isNotFound and the code', async () => {
    fx.script(json(404, { error: { code: 'not_found', message: 'no such campaign' } }));
    const err = (await get().catch((e: unknown) => e)) as RequestRejectedError;
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect(err.isNotFound).toBe(true);
    expect(err.apiCode).toBe('not_found');
    expect(err.message).toContain('no such campaign');
    expect(fx.seen).toHaveLength(1);
  });

  it.each([400, 403, 422])('%i (flat envelope) → RequestRejectedError', async (status) => {
    fx.script(json(status, { error: 'Invalid request' }));
    const err = (await get().catch((e: unknown) => e)) as RequestRejectedError;
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect(err.status).toBe(status);
    expect(err.isNotFound).toBe(false);
    expect(fx.seen).toHaveLength(1);
  });

  it('error.code wins over the status', async () => {
    fx.script(json(400, { error: { code: 'unauthorized', message: 'key revoked' } }));
    await expect(get()).rejects.toThrow(AuthRejectedError);
  });
});

describe('429', () => {
  /**
   * The client's wait is read where it is decided: the block it puts on the budget (exact, from
   * the headers), then checked against the fixture's clock by order — the retry never arrives
   * before the block ends — and by a generous ratio, so a loaded machine cannot make it flake.
   */
  async function timed429(
    reply: ReturnType<typeof json>,
    over: Partial<Parameters<typeof createPuffleClient>[0]> = {},
  ) {
    const { budget, blocks } = recordingBudget(createRequestBudget({ perMinute: 60_000, keyId: 'fixture' }));
    await client.close();
    client = makeClient({ budget, ...over });
    fx.script(reply);
    await expect(get()).resolves.toEqual({ ok: true });
    expect(fx.seen).toHaveLength(2);
    expect(blocks).toHaveLength(1);
    const [block] = blocks as [RecordedBlock];
    const waited = fx.seen[1]!.at - fx.seen[0]!.at;
    expect(fx.seen[1]!.at, 'the retry came before the block ended').toBeGreaterThanOrEqual(block.until - 2);
    expect(waited, 'waited far longer than asked').toBeLessThan(3 * block.asked);
    return block.asked;
  }

  it('Retry-After seconds: blocks exactly that long, without consuming retries', async () => {
    const asked = await timed429(json(429, { error: 'slow down' }, { 'retry-after': '1' }), { retries: 0 });
    expect(asked).toBeGreaterThan(990);
    expect(asked).toBeLessThanOrEqual(1_000);
    const s = client.stats().things!;
    expect(s.rateLimited429).toBe(1);
    expect(s.retries).toBe(0);
    expect(s.rateLimitWaitMs).toBeGreaterThanOrEqual(900);
  });

  it('Retry-After HTTP-date: measured against the response Date header, not our clock', async () => {
    const serverNow = new Date(Date.now() - 3_600_000); // server clock one hour behind ours
    serverNow.setMilliseconds(0);
    const asked = await timed429(
      json(
        429,
        {},
        { date: serverNow.toUTCString(), 'retry-after': new Date(serverNow.getTime() + 1_000).toUTCString() },
      ),
    );
    expect(asked).toBeGreaterThan(990);
    expect(asked).toBeLessThanOrEqual(1_000);
  });

  it('no Retry-After: exponential backoff from the policy base', async () => {
    const asked = await timed429(json(429, {}), {
      retryPolicy: { baseMs: 1_000, maxMs: 5_000 },
      random: () => 1,
    });
    expect(asked).toBeGreaterThan(990);
    expect(asked).toBeLessThanOrEqual(1_000);
  });

  it('a wait above the ceiling → RateLimitedError at once, with retryAt', async () => {
    await client.close();
    client = makeClient({ maxRateLimitWaitMs: 5_000 });
    fx.script(json(429, {}, { 'retry-after': '3600' }));
    const before = Date.now();
    const err = (await get().catch((e: unknown) => e)) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.retryAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(err.message).toMatch(/rate limited by Puffle.*3600 s/);
    // "At once": well inside the 5 s ceiling it refused to sleep, let alone the hour asked.
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(fx.seen).toHaveLength(1);
  });

  it('after a wait above the ceiling, other clients of the key fail fast without a request', async () => {
    const budget = createRequestBudget({ perMinute: 60_000, keyId: 'shared' });
    const one = makeClient({ budget, maxRateLimitWaitMs: 5_000 });
    const two = makeClient({ budget, maxRateLimitWaitMs: 5_000 });
    fx.script(json(429, {}, { 'retry-after': '3600' }));
    await expect(get('/api/things', one)).rejects.toThrow(RateLimitedError);
    await expect(get('/api/things', two)).rejects.toThrow(RateLimitedError);
    expect(fx.seen).toHaveLength(1);
    await one.close();
    await two.close();
  });
});

describe('cancellation and lifecycle', () => {
  it('a caller abort ends the call without retries', async () => {
    fx.script(stall(5_000));
    const ac = new AbortController();
    const pending = client.get('/api/things', undefined, { stream: 'things', signal: ac.signal });
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow('shutting down');
    expect(client.stats().things!.retries).toBe(0);
  });

  it('close() is idempotent and later calls reject', async () => {
    await client.close();
    await client.close();
    await expect(get()).rejects.toThrow(/closed/);
  });
});

describe('the key never leaks', () => {
  it('appears in no error message, stack, cause chain or log line across every failure class', async () => {
    const texts: string[] = [];
    const capture = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      let cur: unknown = e;
      while (cur instanceof Error) {
        texts.push(cur.message, cur.stack ?? '', JSON.stringify(cur));
        cur = cur.cause;
      }
    };
    fx.script(json(401, { error: { code: 'unauthorized', message: `key ${KEY} revoked` } }));
    await capture(get());
    fx.script(json(404, { error: `no access for ${KEY}` }));
    await capture(get());
    fx.script(...Array.from({ length: 4 }, () => reset));
    await capture(get());
    fx.script(...Array.from({ length: 4 }, () => json(500, { error: KEY })));
    await capture(get());
    await client.close();
    client = makeClient({ maxRateLimitWaitMs: 10 });
    fx.script(json(429, { error: KEY }, { 'retry-after': '60' }));
    await capture(get());
    const all = texts.join('\n') + logText;
    expect(texts.length).toBeGreaterThan(5);
    expect(logText.length).toBeGreaterThan(0);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('fixtureSECRET');
  });
});
