/**
 * Personal-data controls (PUFFLE_EXCLUDE_COLUMNS, PUFFLE_HASH_COLUMNS): applied to each record
 * the API sent before anything is mapped or written, so the typed column, `raw` and
 * `rejected_records` never hold the value.
 *
 * A rule names `stream.field`, where field is a column of the stream's table (docs/schema.md): it
 * covers every place the record carries that column's value (`field`, its camelCase spelling, or
 * the nested path the column reads, e.g. `leads.full_name` = `name.full`). For streams whose
 * record shape is undocumented (only the key is typed), any top-level field may be named.
 *
 * Excluded values are removed. Hashed values become HMAC-SHA-256(PUFFLE_HASH_KEY, value) in hex:
 * keyed, so nobody without the key can hash guesses (emails) to find them, and deterministic, so
 * equal values still join across streams and runs. Objects and arrays are hashed as their JSON
 * text. Hashing is idempotent (a 64-hex value is taken as already hashed), which lets
 * `reapplyPrivacy` rewrite stored rows after the setting changed.
 */
import { createHmac } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { ConfigError } from '../config/config-error.ts';
import type { StreamDef } from '../extract/streams.ts';
import { COLUMN_SOURCES, LINEAGE_COLUMNS, type Tables } from './schema.ts';

export interface PrivacySettings {
  /** `stream.field` entries (PUFFLE_EXCLUDE_COLUMNS). */
  exclude: readonly string[];
  /** `stream.field` entries (PUFFLE_HASH_COLUMNS). */
  hash: readonly string[];
  /** PUFFLE_HASH_KEY; required when `hash` is not empty. */
  hashKey?: string;
}

type Path = readonly string[];

interface Rule {
  field: string;
  action: 'exclude' | 'hash';
  /** Every place in the record the value may sit. */
  paths: readonly Path[];
}

export interface PrivacyPolicy {
  /** Streams with at least one rule. */
  readonly streams: ReadonlySet<string>;
  /** The record with the stream's rules applied; the same object when nothing changed. */
  apply(stream: string, record: Record<string, unknown>): Record<string, unknown>;
}

const HASHABLE_TYPES = new Set(['text', 'jsonb']);
const HASHED = /^[0-9a-f]{64}$/;
const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Validates the settings against the catalog and the schema; undefined when there is nothing to do. */
export function buildPrivacyPolicy(
  settings: PrivacySettings,
  catalog: { streams: readonly StreamDef[]; tables: Tables },
): PrivacyPolicy | undefined {
  const rules = new Map<string, Rule[]>();
  const seen = new Map<string, 'exclude' | 'hash'>();
  const entries = [
    ...settings.exclude.map((e) => ({
      entry: e,
      action: 'exclude' as const,
      variable: 'PUFFLE_EXCLUDE_COLUMNS',
    })),
    ...settings.hash.map((e) => ({ entry: e, action: 'hash' as const, variable: 'PUFFLE_HASH_COLUMNS' })),
  ];
  for (const { entry, action, variable } of entries) {
    const [streamName, field, ...rest] = entry.split('.');
    const def = catalog.streams.find((s) => s.name === streamName);
    if (!def || !field || rest.length > 0)
      throw new ConfigError(
        `${variable}: "${entry}" is not stream.field with a known stream (e.g. campaign_leads.email; streams and fields: docs/schema.md)`,
      );
    const other = seen.get(entry);
    if (other && other !== action)
      throw new ConfigError(
        `"${entry}" is in both PUFFLE_EXCLUDE_COLUMNS and PUFFLE_HASH_COLUMNS: choose one`,
      );
    seen.set(entry, action);
    const rule = ruleFor(def, catalog, field, action, variable, entry);
    rules.set(def.name, [...(rules.get(def.name) ?? []), rule]);
  }
  if (rules.size === 0) return undefined;
  const key = settings.hashKey;
  if (settings.hash.length > 0 && (!key || key.length < 32))
    throw new ConfigError(
      'PUFFLE_HASH_COLUMNS needs PUFFLE_HASH_KEY, a secret of at least 32 characters (e.g. `openssl rand -hex 32`), kept outside the warehouse',
    );
  const hash = (value: unknown): unknown => {
    if (typeof value === 'string' && HASHED.test(value)) return value;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return createHmac('sha256', key!).update(text).digest('hex');
  };
  return {
    streams: new Set(rules.keys()),
    apply(stream, record) {
      let out = record;
      for (const rule of rules.get(stream) ?? [])
        for (const path of rule.paths) out = rewrite(out, path, rule.action === 'exclude' ? undefined : hash);
      return out;
    },
  };
}

/** Columns the sync itself reads back: naming them would break keys, parents or cursors. */
function protectedColumns(def: StreamDef, streams: readonly StreamDef[]): Set<string> {
  const out = new Set<string>([...def.primaryKey, 'updated_at']);
  if (def.parent) out.add(def.parent.column);
  if (def.fanOut) out.add(def.fanOut.column);
  if (def.incremental) out.add(def.incremental.cursorField);
  for (const child of streams) {
    const p = child.parent;
    if (p?.stream !== def.name) continue;
    out.add(p.field);
    for (const field of p.changedFields ?? []) out.add(field);
    if (p.finishedWhen) out.add(p.finishedWhen.field);
    for (const column of Object.keys(p.where ?? {})) out.add(column);
  }
  return out;
}

function ruleFor(
  def: StreamDef,
  catalog: { streams: readonly StreamDef[]; tables: Tables },
  field: string,
  action: Rule['action'],
  variable: string,
  entry: string,
): Rule {
  const lineage = new Set<string>(LINEAGE_COLUMNS);
  const table: PgTable = catalog.tables.streams[def.name];
  const columns = Object.values(getTableColumns(table) as Record<string, PgColumn>).filter(
    (c) => !lineage.has(c.name) && !c.name.startsWith('_'),
  );
  const column = columns.find((c) => c.name === field);
  const keysOnly = columns.every((c) => def.primaryKey.includes(c.name));
  if (!column) {
    if (!keysOnly || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field))
      throw new ConfigError(
        `${variable}: "${entry}": ${def.name} has no column ${field} (its columns: docs/schema.md#${def.name})`,
      );
    // Undocumented record shape: the field is a key of the record itself.
    return { field, action, paths: [[field], [camel(field)]] };
  }
  if (protectedColumns(def, catalog.streams).has(field))
    throw new ConfigError(
      `${variable}: "${entry}" is a key, parent or cursor column the sync needs to read back; it cannot be excluded or hashed`,
    );
  if (action === 'hash' && !HASHABLE_TYPES.has(column.getSQLType()))
    throw new ConfigError(
      `PUFFLE_HASH_COLUMNS: "${entry}" is ${column.getSQLType()}, which cannot hold a hash; exclude it instead`,
    );
  const override = COLUMN_SOURCES[def.name]?.[field];
  return { field, action, paths: override ? [override.split('.')] : [[field], [camel(field)]] };
}

/** `record` with the value at `path` removed (`hash` undefined) or hashed; the same object when absent. */
function rewrite(
  record: Record<string, unknown>,
  path: Path,
  hash: ((value: unknown) => unknown) | undefined,
): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(record, head)) return record;
  const value = record[head];
  if (rest.length > 0) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return record;
    const inner = rewrite(value as Record<string, unknown>, rest, hash);
    return inner === value ? record : { ...record, [head]: inner };
  }
  if (!hash) {
    const { [head]: _, ...without } = record;
    return without;
  }
  if (value === null || value === undefined) return record;
  const hashed = hash(value);
  return hashed === value ? record : { ...record, [head]: hashed };
}
