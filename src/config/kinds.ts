/**
 * Value kinds with their bounds: how a raw string from the environment or a flag becomes a typed
 * value. A kind throws `InvalidValue` with the part of the message after the name
 * ("must be a whole number from 1 to 60000"); the caller puts the variable's or flag's name in
 * front. Messages never repeat the value: a secret pasted into the wrong place is still a secret.
 */
import { isIP } from 'node:net';
import { hasControlCharacters, unsafePartitionReason } from '../extract/partition-id.ts';

export class InvalidValue extends Error {
  static readonly code = 'invalid_value';
  readonly code = InvalidValue.code;
}

export interface Kind<T> {
  parse(raw: string): T;
  /** What a valid value looks like, for `--help` and the docs ("a whole number from 1 to 60000"). */
  expect: string;
}

export function integer(opts: { min: number; max: number; unit?: string }): Kind<number> {
  const unit = opts.unit ? ` (${opts.unit})` : '';
  const expect = `a whole number from ${opts.min} to ${opts.max}${unit}`;
  return {
    expect,
    parse(raw) {
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < opts.min || value > opts.max)
        throw new InvalidValue(`must be ${expect}`);
      return value;
    },
  };
}

/** On or off: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`; a flag without a value is `true`. */
export function toggle(): Kind<boolean> {
  const expect = 'true or false (also 1/0, yes/no, on/off)';
  return {
    expect,
    parse(raw) {
      const value = raw.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      throw new InvalidValue(`must be ${expect}`);
    },
  };
}

export function text(opts: {
  pattern: RegExp;
  expect: string;
  reserved?: (v: string) => string | undefined;
}) {
  return {
    expect: opts.expect,
    parse(raw: string): string {
      if (!opts.pattern.test(raw)) throw new InvalidValue(`must be ${opts.expect}`);
      const reserved = opts.reserved?.(raw);
      if (reserved) throw new InvalidValue(reserved);
      return raw;
    },
  } satisfies Kind<string>;
}

export function choice<T extends string>(values: readonly T[]): Kind<T> {
  const expect = `one of ${values.join(', ')}`;
  return {
    expect,
    parse(raw) {
      const value = raw.toLowerCase() as T;
      if (!values.includes(value)) throw new InvalidValue(`must be ${expect}`);
      return value;
    },
  };
}

/** A file-system path: bounded, no control characters. Whether it can be used is checked on use. */
export function path(): Kind<string> {
  const expect = 'a path of at most 1024 characters, without control characters';
  return {
    expect,
    parse(raw) {
      if (raw.length > 1024 || hasControlCharacters(raw)) throw new InvalidValue(`must be ${expect}`);
      return raw;
    },
  };
}

/** Free text of `min` to `max` characters without control characters (a passphrase, a key). */
export function phrase(opts: { min: number; max: number; hint?: string }): Kind<string> {
  const expect = `${opts.min} to ${opts.max} characters without control characters${opts.hint ? ` (${opts.hint})` : ''}`;
  return {
    expect,
    parse(raw) {
      if (raw.length < opts.min || raw.length > opts.max || hasControlCharacters(raw))
        throw new InvalidValue(`must be ${expect}`);
      return raw;
    },
  };
}

/** A URL with one of `protocols`; the value is never repeated (it may hold a password). */
export function url(protocols: readonly string[]): Kind<string> {
  const schemes = protocols.map((p) => `${p}//`).join(' or ');
  const expect = `a ${schemes} URL of at most 4096 characters`;
  return {
    expect,
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new InvalidValue(`is not a URL (expected ${protocols[0]}//…)`);
      }
      if (!protocols.includes(parsed.protocol))
        throw new InvalidValue(`must start with ${schemes}, got ${parsed.protocol}//`);
      if (raw.length > 4096) throw new InvalidValue(`must be ${expect}`);
      return raw;
    },
  };
}

/** `a, b,,a` → `['a', 'b']`: trimmed, empty items ignored, duplicates dropped, order kept. */
export function splitList(raw: string, separator: RegExp = /,/): string[] {
  return [
    ...new Set(
      raw
        .split(separator)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Values separated by commas (or `separator`, described by `separated`), each parsed by `item`
 * (see splitList). A bad item is named by its position when there are several.
 */
export function list<T>(
  item: Kind<T>,
  opts: { max: number; separator?: RegExp; separated?: string; tooMany?: string },
): Kind<T[]> {
  const separated = opts.separated ?? 'comma-separated';
  const expect = `a ${separated} list of at most ${opts.max} values, each ${item.expect}`;
  return {
    expect,
    parse(raw) {
      const parts = splitList(raw, opts.separator);
      if (parts.length > opts.max) throw new InvalidValue(opts.tooMany ?? `must be ${expect}`);
      return parts.map((part, i) => {
        try {
          return item.parse(part);
        } catch (err) {
          if (err instanceof InvalidValue)
            throw new InvalidValue(parts.length > 1 ? `item ${i + 1} ${err.message}` : err.message);
          throw err;
        }
      });
    },
  };
}

/** An id Puffle returned or the user configured, used as a URL path segment: see partition-id.ts. */
export function pathId(): Kind<string> {
  return {
    expect: 'an id without "/", "\\", "%" or control characters (not "." or "..")',
    parse(raw) {
      const problem = unsafePartitionReason(raw);
      if (problem) throw new InvalidValue(problem);
      return raw;
    },
  };
}

const HOSTNAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** A host name or an IP address (IPv6 with or without brackets), without a port. */
export function host(): Kind<string> {
  const expect = 'a host name or an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1, dashboard.internal)';
  return {
    expect,
    parse(raw) {
      const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
      if (isIP(bare) === 0 && !HOSTNAME.test(raw)) throw new InvalidValue(`must be ${expect}`);
      return bare.toLowerCase();
    },
  };
}

/** An IANA time zone name that this Node.js knows. */
export function timeZone(): Kind<string> {
  const expect = 'an IANA time zone like UTC or Europe/Paris';
  return {
    expect,
    parse(raw) {
      try {
        if (raw.length > 64) throw new RangeError();
        new Intl.DateTimeFormat('en-US', { timeZone: raw });
      } catch {
        throw new InvalidValue(`must be ${expect}`);
      }
      return raw;
    },
  };
}

/** A date (`2025-01-01`, UTC midnight) or a full ISO 8601 timestamp, within [min, max]. */
export function date(opts: { min: () => Date; max: () => Date }): Kind<Date> {
  const expect = 'a date like 2025-01-01 (UTC) or an ISO 8601 timestamp';
  return {
    expect,
    parse(raw) {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
      const parsed = new Date(day ? `${raw}T00:00:00Z` : raw);
      if (!(day || /^\d{4}-\d{2}-\d{2}T/.test(raw)) || Number.isNaN(parsed.getTime()))
        throw new InvalidValue(`must be ${expect}`);
      const [min, max] = [opts.min(), opts.max()];
      if (parsed < min || parsed > max)
        throw new InvalidValue(
          `must be from ${min.toISOString().slice(0, 10)} to ${max.toISOString().slice(0, 10)}`,
        );
      return parsed;
    },
  };
}

/**
 * A cron pattern: 5 fields, or 6 with seconds, of the characters cron understands. The schedule
 * command runs BullMQ's own parser on it too, before anything is written to Redis.
 */
export function cron(): Kind<string> {
  const expect = 'a cron pattern of 5 fields (or 6 with seconds), e.g. "0 2 * * *"';
  return {
    expect,
    parse(raw) {
      const fields = raw.trim().split(/\s+/);
      if (raw.length > 120 || fields.length < 5 || fields.length > 6 || !/^[\w*/,?#\s-]+$/.test(raw))
        throw new InvalidValue(`must be ${expect}`);
      return fields.join(' ');
    },
  };
}
