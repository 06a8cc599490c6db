/** statsSince / sumCounts: the request figures callers store from the client's per-stream stats. */
import { describe, expect, it } from 'vitest';
import { countStatus, StatsBook, statsSince, sumCounts } from '../../src/extract/client-stats.ts';

describe('statsSince', () => {
  it('is the requests between two snapshots, statuses that did not grow dropped', () => {
    const book = new StatsBook();
    const s = book.for('leads');
    s.requests = 3;
    s.rateLimitWaitMs = 1000;
    for (const status of [200, 200, 429] as const) countStatus(s, status);
    const before = book.snapshot().leads;
    s.requests += 2;
    s.retries += 1;
    s.rateLimited429 += 1;
    s.rateLimitWaitMs += 500;
    countStatus(s, 429);
    countStatus(s, 'timeout');
    expect(statsSince(book.snapshot().leads, before)).toEqual({
      requests: 2,
      retries: 1,
      rateLimited: 1,
      rateLimitWaitMs: 500,
      requestsByStatus: { '429': 1, timeout: 1 },
    });
    expect(statsSince(book.snapshot().leads).requestsByStatus).toEqual({ '200': 2, '429': 2, timeout: 1 });
  });

  it('is all zero for a stream that made no request', () => {
    expect(statsSince(undefined)).toEqual({
      requests: 0,
      retries: 0,
      rateLimited: 0,
      rateLimitWaitMs: 0,
      requestsByStatus: {},
    });
  });
});

describe('sumCounts', () => {
  it('adds maps key-wise and skips missing ones', () => {
    expect(sumCounts([{ '200': 2 }, undefined, { '200': 1, '500': 1 }])).toEqual({ '200': 3, '500': 1 });
  });
});
