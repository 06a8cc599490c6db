/**
 * The shared request budget, in Redis and in Postgres, against the real servers: separate
 * connections stand in for separate workers. The same checks hold for both stores.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyId,
  createRequestBudget,
  RateLimitedError,
  type RequestBudget,
} from '../../src/extract/index.ts';
import { uniquePrefix } from '../helpers/services.ts';
import { type BudgetStore, postgresStore, redisStore } from './budget-backends.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

describe.each([
  ['redis', async () => redisStore()],
  ['postgres', postgresStore],
] as const)('%s request budget', (_name, openStore) => {
  let store: BudgetStore;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  function budget(prefix: string, perMinute: number, keyId = 'k1'): RequestBudget {
    const b = createRequestBudget({ perMinute, ...store.options(), keyId, prefix, safetyMargin: 0 });
    opened.push(b);
    return b;
  }

  it('two workers of one key share the pacing: slots are spaced fleet-wide', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 1_200); // 50 ms apart
    const b = budget(prefix, 1_200);
    const storeStart = await store.now();
    const t0 = performance.now();
    const run = async (x: RequestBudget) => {
      for (let i = 0; i < 15; i++) await x.take();
    };
    await Promise.all([run(a), run(b)]);
    const took = performance.now() - t0;
    // Read on the store's clock, which reserved the slots: 30 slots, each a whole interval after
    // the previous one, whoever took it (local wake-up times bunch up on a loaded machine).
    expect((await store.tat(prefix)) - storeStart).toBeGreaterThanOrEqual(30 * 50 - 1);
    // Two unpaced workers would be done in half the time.
    expect(took).toBeGreaterThanOrEqual(29 * 50 - 15);
  });

  it('different keys do not share a budget', async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 6, 'keyA'); // 10 s apart
    const b = budget(prefix, 6, 'keyB');
    await a.take();
    const ac = new AbortController();
    let secondA = 'waiting';
    const pendingA = a.take(ac.signal).then(
      () => (secondA = 'granted'),
      () => (secondA = 'aborted'),
    );
    await b.take(); // keyB's first slot is free whatever keyA did
    expect(secondA, "keyA's second slot is 10 s away; keyB did not wait for it").toBe('waiting');
    ac.abort(new Error('done'));
    await pendingA;
  });

  it("a 429 seen by one worker blocks the others' takes until the moment", async () => {
    const prefix = uniquePrefix('budget');
    const a = budget(prefix, 6_000);
    const b = budget(prefix, 6_000);
    await a.take();
    const blockEnd = Date.now() + 800;
    await a.blockUntil(blockEnd);
    const t0 = Date.now();
    const r = await b.take();
    const waited = Date.now() - t0;
    expect(Date.now(), 'granted before the block ended').toBeGreaterThanOrEqual(blockEnd - 5);
    expect(waited).toBeLessThan(3 * 800);
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
    // Without sleeping: far below the 60 s it would have slept before giving up.
    expect(Date.now() - t0).toBeLessThan(5_000);
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

  it('only a hash of the API key is stored; an owned connection closes idempotently', async () => {
    const key = 'pk_live_redisSECRET0123456789';
    const prefix = uniquePrefix('budget');
    const b = createRequestBudget({ perMinute: 600, ...store.options(), keyId: apiKeyId(key), prefix });
    await b.take();
    await b.blockUntil(Date.now() + 50);
    const dump = await store.dump(prefix);
    expect(dump.keys).toBe(store.name === 'redis' ? 2 : 1);
    expect(dump.text).not.toContain('SECRET');
    expect(dump.text).toContain(apiKeyId(key));
    expect(apiKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    await b.close();
    await b.close();
  });

  it('uses a caller-owned connection without closing it', async () => {
    const own = await store.ownedClient();
    try {
      const b = createRequestBudget({
        perMinute: 600,
        ...own.options,
        keyId: 'owned',
        prefix: uniquePrefix('budget'),
      });
      await b.take();
      await b.close();
      expect(await own.alive()).toBe(true);
    } finally {
      await own.close();
    }
  });
});
