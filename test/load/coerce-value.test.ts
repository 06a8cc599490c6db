import { describe, expect, it } from 'vitest';
import { coerceValue, isValidTimestamp } from '../../src/load/coerce-value.ts';

describe('coerceValue', () => {
  it.each([
    [null, 'integer', null],
    [undefined, 'jsonb', null],
    ['x', 'text', 'x'],
    [12, 'text', '12'],
    [false, 'text', 'false'],
    [42, 'integer', '42'],
    ['-7', 'integer', '-7'],
    ['9007199254740993', 'bigint', '9007199254740993'],
    [2.5, 'double precision', '2.5'],
    ['0.92', 'double precision', '0.92'],
    [true, 'boolean', 'true'],
    ['false', 'boolean', 'false'],
    ['2024-02-29T23:59:59.123456Z', 'timestamp with time zone', '2024-02-29T23:59:59.123456Z'],
    ['2024-01-02 09:30:00+02', 'timestamp with time zone', '2024-01-02 09:30:00+02'],
    ['2024-01-02', 'timestamp with time zone', '2024-01-02'],
    [{ a: [1] }, 'jsonb', '{"a":[1]}'],
    ['str', 'jsonb', '"str"'],
  ])('%j as %s → %j', (value, type, text) => {
    expect(coerceValue(value, type)).toEqual({ ok: true, text });
  });

  it.each([
    [{}, 'text', 'expected text, got an object'],
    [[1], 'text', 'expected text, got an array'],
    ['abc', 'integer', 'expected an integer, got "abc"'],
    [1.5, 'integer', 'expected an integer, got 1.5'],
    [2147483648, 'integer', 'expected an integer, got 2147483648'],
    ['', 'double precision', 'expected a number, got ""'],
    [Number.NaN, 'double precision', 'expected a number, got null'],
    ['yes', 'boolean', 'expected a boolean, got "yes"'],
    [1, 'boolean', 'expected a boolean, got 1'],
    ['yesterday', 'timestamp with time zone', 'expected an ISO 8601 timestamp, got "yesterday"'],
    [1700000000000, 'timestamp with time zone', 'expected an ISO 8601 timestamp, got 1700000000000'],
  ])('%j as %s is rejected', (value, type, reason) => {
    expect(coerceValue(value, type)).toEqual({ ok: false, reason });
  });

  it('accepts only calendar-valid timestamps (stricter than Date.parse)', () => {
    expect(isValidTimestamp('2024-02-30')).toBe(false);
    expect(isValidTimestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isValidTimestamp('2024-01-01T24:00:00Z')).toBe(false);
    expect(isValidTimestamp('2024-13-01')).toBe(false);
    expect(isValidTimestamp('2024-12-31T23:59:59.999+05:30')).toBe(true);
  });
});
