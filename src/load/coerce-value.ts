/**
 * Turns one JSON value into the text Postgres will cast to a column's type, or says why it
 * cannot. Pure. Every value that passes here must cast without error in SQL: one bad value would
 * otherwise fail the whole page's transaction, so validation is stricter than `Date.parse`
 * (which accepts 2024-02-30) and matches what Postgres accepts.
 */

export type Coerced = { ok: true; text: string | null } | { ok: false; reason: string };

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };

// ISO 8601 date or date-time, `T` or space, optional fraction, optional Z / ±hh[:mm].
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const describe = (value: unknown): string =>
  Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : JSON.stringify(value);

export function coerceValue(value: unknown, sqlType: string): Coerced {
  if (value === null || value === undefined) return { ok: true, text: null };
  switch (sqlType) {
    case 'text':
      if (typeof value === 'string') return { ok: true, text: value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, text: String(value) };
      return { ok: false, reason: `expected text, got ${describe(value)}` };
    case 'integer':
      return integer(value, INT32.min, INT32.max, 'an integer');
    case 'bigint':
      return integer(value, INT64.min, INT64.max, 'a 64-bit integer');
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
    case 'date':
      if (typeof value === 'string' && isValidTimestamp(value)) return { ok: true, text: value };
      return { ok: false, reason: `expected an ISO 8601 timestamp, got ${describe(value)}` };
    case 'jsonb':
    case 'json':
      return { ok: true, text: JSON.stringify(value) };
    default:
      throw new Error(`no coercion for SQL type "${sqlType}"`);
  }
}

function integer(value: unknown, min: number | bigint, max: number | bigint, what: string): Coerced {
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  if (n === undefined || n < BigInt(min) || n > BigInt(max)) {
    return { ok: false, reason: `expected ${what}, got ${describe(value)}` };
  }
  return { ok: true, text: n.toString() };
}

export function isValidTimestamp(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m
    .slice(1)
    .map((p) => (p === undefined ? 0 : Number(p)));
  if (year === undefined || month === undefined || day === undefined) return false;
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}
