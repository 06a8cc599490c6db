import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRequestBudget, RateLimitedError } from '../../src/extract/index.ts';

describe('in-process request budget', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function runTakes(budget: ReturnType<typeof createRequestBudget>, n: number): Promise<number[]> {
    const at: number[] = [];
    const all = Array.from({ length: n }, () => budget.take().then(() => at.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return at.sort((a, b) => a - b);
  }

  it('paces evenly: 60 000/N ms apart, no burst, no 10 s span above a sixth of the minute', async () => {
    const budget = createRequestBudget({ perMinute: 120, keyId: 'k', safetyMargin: 0 });
    const at = await runTakes(budget, 60);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBe(500);
    for (const start of at)
      expect(at.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(20);
  });

  it('does not burst after idling', async () => {
    const budget = createRequestBudget({ perMinute: 60, keyId: 'k', safetyMargin: 0 });
    await runTakes(budget, 2);
    vi.advanceTimersByTime(120_000);
    const at = await runTakes(budget, 5);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBe(1_000);
  });

  it('applies the safety margin to the spacing', async () => {
    const budget = createRequestBudget({ perMinute: 60, keyId: 'k' });
    const at = await runTakes(budget, 3);
    expect(at[2]! - at[1]!).toBe(1_020);
  });

  it('blockUntil holds every take, including slots already handed out, and reports the blocked time', async () => {
    const budget = createRequestBudget({ perMinute: 600, keyId: 'k', safetyMargin: 0 });
    const start = Date.now();
    await budget.take();
    const at: number[] = [Date.now()];
    const waiting = budget.take(); // slot at +100 ms
    await budget.blockUntil(start + 5_000);
    expect(budget.blockedUntil()).toBe(start + 5_000);
    const res = waiting.then((r) => {
      at.push(Date.now());
      return r;
    });
    await vi.runAllTimersAsync();
    const r = await res;
    expect(at[0]).toBe(start);
    expect(at[1]).toBeGreaterThanOrEqual(start + 5_000);
    expect(r.waitedMs).toBeGreaterThanOrEqual(5_000);
    expect(r.blockedMs).toBeGreaterThan(0);
  });

  it('take() is abortable and gives its slot back', async () => {
    const budget = createRequestBudget({ perMinute: 60, keyId: 'k', safetyMargin: 0 });
    await budget.take();
    const ac = new AbortController();
    const pending = budget.take(ac.signal);
    ac.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    const t0 = Date.now();
    const next = budget.take();
    await vi.runAllTimersAsync();
    await next;
    expect(Date.now() - t0).toBe(1_000);
  });

  it('take() with maxWaitMs fails fast with RateLimitedError instead of sleeping through a long block', async () => {
    const budget = createRequestBudget({ perMinute: 600, keyId: 'k' });
    await budget.blockUntil(Date.now() + 3_600_000);
    const err = await budget.take(undefined, { maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAt).toBeGreaterThanOrEqual(Date.now() + 3_599_000);
  });

  it('rejects a nonsensical rate', () => {
    expect(() => createRequestBudget({ perMinute: 0, keyId: 'k' })).toThrow(
      'perMinute must be a finite number greater than 0',
    );
  });
});
