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
    ['abc', 'integer', 'expected an integer, got a string'],
    [1.5, 'integer', 'expected an integer, got a number'],
    ['', 'double precision', 'expected a number, got a string'],
    [Number.NaN, 'double precision', 'expected a number, got a non-finite number'],
    ['yes', 'boolean', 'expected a boolean, got a string'],
    [1, 'boolean', 'expected a boolean, got a number'],
    ['yesterday', 'timestamp with time zone', 'not an ISO 8601 timestamp'],
    [1700000000000, 'timestamp with time zone', 'expected an ISO 8601 timestamp, got a number'],
  ])('%j as %s is rejected', (value, type, reason) => {
    expect(coerceValue(value, type)).toEqual({ ok: false, reason });
  });

  // Each class of value Postgres refuses with a class-22 error, found before the transaction.
  it.each([
    ['lone high surrogate', 'Thanks! \ud83d', 'text', /lone UTF-16 surrogate/],
    ['lone low surrogate', '\ude00 hi', 'text', /lone UTF-16 surrogate/],
    ['NUL in text', 'a\u0000b', 'text', /NUL character/],
    ['lone surrogate in jsonb', { note: 'x\ud83d' }, 'jsonb', /jsonb cannot store/],
    ['NUL in a jsonb key', { 'k\u0000': 1 }, 'jsonb', /jsonb cannot store/],
    ['zero date', '0000-00-00 00:00:00', 'timestamp with time zone', /date or time out of range/],
    ['February 30', '2024-02-30T10:00:00Z', 'timestamp with time zone', /date or time out of range/],
    ['offset +99:00', '2024-05-01T10:00:00+99:00', 'timestamp with time zone', /UTC offset beyond ±15:59/],
    ['offset -16:00', '2024-05-01T10:00:00-1600', 'timestamp with time zone', /UTC offset beyond ±15:59/],
    ['int4 overflow', 2147483648, 'integer', /out of range for an integer/],
    ['int4 underflow', '-2147483649', 'integer', /out of range for an integer/],
    ['int2 overflow', 40000, 'smallint', /out of range for a 16-bit integer/],
    ['int8 overflow', '9223372036854775808', 'bigint', /out of range for a 64-bit integer/],
    ['numeric precision', '123456.5', 'numeric(6, 2)', /out of range for numeric\(6, 2\)/],
    ['not a number', 'abc', 'numeric', /expected a decimal number/],
  ])('%s is found (%j as %s)', (_, value, type, reason) => {
    const coerced = coerceValue(value, type);
    expect(coerced).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('accepts the edges Postgres accepts', () => {
    expect(coerceValue('2024-05-01T10:00:00+15:59', 'timestamp with time zone')).toMatchObject({ ok: true });
    expect(coerceValue('2024-05-01T10:00:00-1559', 'timestamp with time zone')).toMatchObject({ ok: true });
    expect(coerceValue(2147483647, 'integer')).toMatchObject({ ok: true });
    expect(coerceValue('1234.5678', 'numeric(6, 2)')).toMatchObject({ ok: true, text: '1234.5678' });
    expect(coerceValue('😀 whole emoji', 'text')).toEqual({ ok: true, text: '😀 whole emoji' });
    expect(coerceValue({ e: '😀' }, 'jsonb')).toEqual({ ok: true, text: '{"e":"😀"}' });
  });

  it('accepts only calendar-valid timestamps (stricter than Date.parse)', () => {
    expect(isValidTimestamp('2024-02-30')).toBe(false);
    expect(isValidTimestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isValidTimestamp('2024-01-01T24:00:00Z')).toBe(false);
    expect(isValidTimestamp('2024-13-01')).toBe(false);
    expect(isValidTimestamp('2024-12-31T23:59:59.999+05:30')).toBe(true);
  });
});
