/**
 * Turns one JSON value into the text Postgres will cast to a column's type, or says why it
 * cannot (never quoting the value: reasons are logged, and the value may be personal). Pure.
 * Every value that passes here must cast without error in SQL: one bad value would otherwise
 * fail the whole page's transaction, so validation is stricter than `Date.parse`
 * (which accepts 2024-02-30) and matches what Postgres accepts (class 22 errors: out-of-range
 * numbers and dates, offsets beyond ±15:59, NUL and lone surrogates in text and jsonb).
 */
import { hasUnstorable, jsonHasUnstorable, unstorableReason } from './unstorable-text.ts';

export type Coerced = { ok: true; text: string | null } | { ok: false; reason: string };

const INT16 = { min: -32768, max: 32767 };
const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };

// ISO 8601 date or date-time, `T` or space, optional fraction, optional Z / ±hh[:mm].
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Postgres refuses a UTC offset beyond ±15:59 ("time zone displacement out of range"). */
const MAX_OFFSET_MINUTES = 15 * 60 + 59;
const NUMERIC = /^-?(\d+)(?:\.(\d+))?$/;

/** The kind of a value, never the value: reasons land in logs, and the value may be personal. */
const describe = (value: unknown): string =>
  Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'number' && !Number.isFinite(value)
        ? 'a non-finite number'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;

export function coerceValue(value: unknown, sqlType: string): Coerced {
  if (value === null || value === undefined) return { ok: true, text: null };
  switch (sqlType) {
    case 'text':
      if (typeof value === 'string')
        return hasUnstorable(value)
          ? { ok: false, reason: unstorableReason(value) }
          : { ok: true, text: value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, text: String(value) };
      return { ok: false, reason: `expected text, got ${describe(value)}` };
    case 'smallint':
      return integer(value, INT16.min, INT16.max, 'a 16-bit integer');
    case 'integer':
      return integer(value, INT32.min, INT32.max, 'an integer');
    case 'bigint':
      return integer(value, INT64.min, INT64.max, 'a 64-bit integer');
    case 'real':
    case 'double precision': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return { ok: true, text: String(n) };
      return { ok: false, reason: `expected a number, got ${describe(value)}` };
    }
    case 'boolean':
      if (value === true || value === 'true') return { ok: true, text: 'true' };
      if (value === false || value === 'false') return { ok: true, text: 'false' };
      return { ok: false, reason: `expected a boolean, got ${describe(value)}` };
    case 'timestamp with time zone':
    case 'timestamp':
    case 'date': {
      const problem =
        typeof value === 'string'
          ? timestampProblem(value)
          : `expected an ISO 8601 timestamp, got ${describe(value)}`;
      return problem === undefined ? { ok: true, text: value as string } : { ok: false, reason: problem };
    }
    case 'jsonb':
    case 'json': {
      const text = JSON.stringify(value);
      if (jsonHasUnstorable(text))
        return {
          ok: false,
          reason: 'contains a NUL character or a lone UTF-16 surrogate, which jsonb cannot store',
        };
      return { ok: true, text };
    }
    default: {
      const numeric = /^numeric(?:\((\d+)(?:, *(\d+))?\))?$/.exec(sqlType);
      if (numeric) return decimal(value, numeric[1], numeric[2]);
      throw new Error(`no coercion for SQL type "${sqlType}"`);
    }
  }
}

function integer(value: unknown, min: number | bigint, max: number | bigint, what: string): Coerced {
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  if (n === undefined) return { ok: false, reason: `expected ${what}, got ${describe(value)}` };
  if (n < BigInt(min) || n > BigInt(max)) return { ok: false, reason: `out of range for ${what}` };
  return { ok: true, text: n.toString() };
}

/** numeric(p, s): at most p - s digits before the point (Postgres rounds the fraction to s). */
function decimal(value: unknown, precision: string | undefined, scale: string | undefined): Coerced {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === 'string' ? NUMERIC.exec(text) : null;
  if (!m) return { ok: false, reason: `expected a decimal number, got ${describe(value)}` };
  const digits = (m[1] ?? '').replace(/^0+/, '').length;
  if (precision !== undefined && digits > Number(precision) - Number(scale ?? 0))
    return { ok: false, reason: `out of range for numeric(${precision}, ${scale ?? 0})` };
  return { ok: true, text: text as string };
}

export function isValidTimestamp(text: string): boolean {
  return timestampProblem(text) === undefined;
}

/** Why Postgres would refuse the text as a timestamp, or undefined when it would not. */
function timestampProblem(text: string): string | undefined {
  const m = ISO.exec(text);
  if (!m) return 'not an ISO 8601 timestamp';
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((p) => (p === undefined ? 0 : Number(p)));
  const offset = /^[+-](\d{2}):?(\d{2})?$/.exec(m[7] ?? '');
  if (offset && Number(offset[1]) * 60 + Number(offset[2] ?? 0) > MAX_OFFSET_MINUTES)
    return 'UTC offset beyond ±15:59';
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (year < 1 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59)
    return 'date or time out of range';
  return undefined;
}
