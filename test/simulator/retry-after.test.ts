/** The Retry-After values the simulator sends (pure). */
import { describe, expect, it } from 'vitest';
import { retryAfterValue } from '../../src/simulator/http/retry-after.ts';

const NOW = Date.UTC(2026, 10, 28, 9, 0, 0, 300);

describe('retryAfterValue', () => {
  it.each([
    [1, '1'],
    [999, '1'],
    [1000, '1'],
    [1001, '2'],
    [59_500, '60'],
  ])('seconds: %i ms → %s (rounded up, at least 1)', (ms, want) => {
    expect(retryAfterValue('seconds', ms, NOW)).toBe(want);
  });

  it('http-date: the next whole second after the window reopens, in IMF-fixdate form', () => {
    expect(retryAfterValue('http-date', 1500, NOW)).toBe('Sat, 28 Nov 2026 09:00:03 GMT');
    const value = retryAfterValue('http-date', 30_000, NOW) as string;
    expect(Date.parse(value)).toBeGreaterThanOrEqual(NOW + 30_000);
  });

  it('absent: no header', () => {
    expect(retryAfterValue('absent', 5000, NOW)).toBeUndefined();
  });
});
