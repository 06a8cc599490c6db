import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelayFromHeaders } from '../../src/extract/retry-timing.ts';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const h = (entries: Record<string, string>) => new Headers(entries);

describe('retryDelayFromHeaders', () => {
  it.each([
    ['absent', {}, undefined],
    ['delta-seconds', { 'retry-after': '120' }, 120_000],
    ['zero means now', { 'retry-after': '0' }, 0],
    ['whitespace around seconds', { 'retry-after': ' 5 ' }, 5_000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1_500],
    ['negative clamps to 0', { 'retry-after': '-3' }, 0],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['garbage digits', { 'retry-after': '12abc' }, undefined],
    ['empty', { 'retry-after': '' }, undefined],
    ['HTTP-date against our clock', { 'retry-after': 'Sat, 28 Nov 2026 10:00:30 GMT' }, 30_000],
    [
      'HTTP-date against the response Date header (skewed clocks)',
      { 'retry-after': 'Sat, 28 Nov 2026 09:00:30 GMT', date: 'Sat, 28 Nov 2026 09:00:00 GMT' },
      30_000,
    ],
    ['past HTTP-date means now', { 'retry-after': 'Sat, 28 Nov 2026 09:59:00 GMT' }, 0],
    ['unparseable date', { 'retry-after': 'Sat, 99 Foo 2026 10:00:30 GMT' }, undefined],
    [
      'garbage Date header falls back to our clock',
      { 'retry-after': 'Sat, 28 Nov 2026 10:00:10 GMT', date: 'yesterday-ish' },
      10_000,
    ],
  ])('%s', (_label, headers, expected) => {
    expect(retryDelayFromHeaders(h(headers), NOW)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  const max = () => 1;
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [20, 60_000],
  ])('attempt %i with random()=1 → %i ms (1 s × 2^(n−1), capped at 60 s)', (attempt, expected) => {
    expect(backoffDelay(attempt, DEFAULT_RETRY_POLICY, max)).toBe(expected);
  });

  it('uses full jitter: random() scales the whole delay', () => {
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(2_000);
  });

  it('honours a custom policy', () => {
    expect(backoffDelay(4, { baseMs: 10, factor: 3, maxMs: 200 }, max)).toBe(200);
    expect(backoffDelay(2, { baseMs: 10, factor: 3, maxMs: 200 }, max)).toBe(30);
  });
});
