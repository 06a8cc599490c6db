/** The Redis budget with real Redis: separate connections stand in for separate workers. */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiKeyId,
  createRequestBudget,
  RateLimitedError,
  type RequestBudget,
} from '../../src/extract/index.ts';
import { testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

function budget(prefix: string, perMinute: number, keyId = 'k1'): RequestBudget {
  const b = createRequestBudget({ perMinute, redis: testRedisUrl(), keyId, prefix, safetyMargin: 0 });
  opened.push(b);
  return b;
}

describe('Redis request budget', () => {
  it('two workers of one key share the pacing: slots are spaced fleet-wide', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 1_200); // 50 ms apart
    const b = budget(prefix, 1_200);
    const at: number[] = [];
    const run = async (x: RequestBudget) => {
      for (let i = 0; i < 15; i++) {
        await x.take();
        at.push(performance.now());
      }
    };
    const t0 = performance.now();
    await Promise.all([run(a), run(b)]);
    at.sort((p, q) => p - q);
    // 30 slots 50 ms apart need ≥ 29 × 50 ms, whoever takes them.
    expect(at.at(-1)! - t0).toBeGreaterThanOrEqual(29 * 50 - 15);
    // No burst: in any 500 ms span at most 10 slots; +3 for wake-up jitter of a loaded event loop.
    for (const s of at) expect(at.filter((t) => t >= s && t < s + 500).length).toBeLessThanOrEqual(13);
  });

  it('different keys do not share a budget', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 60, 'keyA');
    const b = budget(prefix, 60, 'keyB');
    await a.take();
    const t0 = Date.now();
    await b.take();
    expect(Date.now() - t0).toBeLessThan(200);
  });

  it("a 429 seen by one worker blocks the others' takes until the moment", async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 6_000);
    const b = budget(prefix, 6_000);
    await a.take();
    await a.blockUntil(Date.now() + 800);
    const t0 = Date.now();
    const r = await b.take();
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(700);
    expect(waited).toBeLessThan(1_100);
    expect(r.blockedMs).toBeGreaterThan(600);
    expect(b.blockedUntil()).toBeGreaterThan(t0);
  });

  it('a block also holds a take that had already reserved its slot', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 120); // 500 ms apart
    const b = budget(prefix, 120);
    await a.take();
    const t0 = Date.now();
    const pending = b.take(); // slot at ~+500 ms
    await new Promise((r) => setTimeout(r, 100));
    await a.blockUntil(Date.now() + 1_000);
    await pending;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
  });

  it('a long block makes take() with maxWaitMs fail fast in every worker', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 600);
    const b = budget(prefix, 600);
    await a.blockUntil(Date.now() + 3_600_000);
    const t0 = Date.now();
    await expect(b.take(undefined, { maxWaitMs: 60_000 })).rejects.toThrow(RateLimitedError);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('take() is abortable', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 6);
    await a.take();
    const ac = new AbortController();
    const pending = a.take(ac.signal);
    setTimeout(() => ac.abort(new Error('cancelled')), 30);
    await expect(pending).rejects.toThrow('cancelled');
  });

  it('only a hash of the API key reaches Redis; an owned connection closes idempotently', async () => {
    const key = 'pk_live_redisSECRET0123456789';
    const prefix = uniquePrefix('budget');
    const b = createRequestBudget({ perMinute: 600, redis: testRedisUrl(), keyId: apiKeyId(key), prefix });
    await b.take();
    await b.blockUntil(Date.now() + 50);
    const redis = new Redis(testRedisUrl());
    try {
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBe(2);
      const dump = keys.join(' ') + (await Promise.all(keys.map((k) => redis.get(k)))).join(' ');
      expect(dump).not.toContain('SECRET');
      expect(dump).toContain(apiKeyId(key));
      expect(apiKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      redis.disconnect();
    }
    await b.close();
    await b.close();
  });

  it('uses a caller-owned ioredis instance without closing it', async () => {
    const redis = new Redis(testRedisUrl());
    try {
      const b = createRequestBudget({
        perMinute: 600,
        redis,
        keyId: 'owned',
        prefix: uniquePrefix('budget'),
      });
      await b.take();
      await b.close();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
