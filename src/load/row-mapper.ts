/**
 * Record → row, derived from the table's columns (getTableColumns), so adding a column to
 * schema.ts is the whole change. A column reads `record[column] ?? record[camelCase(column)]`, or
 * the dotted path COLUMN_SOURCES names; the partition column is filled from the partition (many
 * child endpoints do not repeat the parent id), a snapshot stream's date column from the walk's
 * date. Values are returned as the text Postgres casts (see coerce-value.ts). Unknown fields simply stay in `raw`.
 *
 * One bad value never costs the row: a value Postgres would refuse for its column is dropped
 * (the column is NULL) and listed in the row's `_changes`, and `raw` has its unstorable
 * characters repaired (see value-changes.ts). Only a record that cannot be stored at all — no
 * primary key, a bad key or partition value, a required column empty — is rejected.
 */
import { getTableColumns } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { StreamDef } from '../extract/streams.ts';
import { coerceValue } from './coerce-value.ts';
import type { PrivacyPolicy } from './privacy.ts';
import { COLUMN_SOURCES, LINEAGE_COLUMNS } from './schema.ts';
import { droppedValue, storableRaw, type ValueChange } from './value-changes.ts';

export interface ColumnPlan {
  name: string;
  sqlType: string;
  notNull: boolean;
  /** Path into the record; alternatives tried in order (snake, camel). */
  sources: readonly (readonly string[])[];
}

export interface TablePlan {
  table: PgTable;
  stream: StreamDef;
  /** Data columns in insert order; lineage columns are handled by the upsert. */
  columns: ColumnPlan[];
  primaryKey: readonly string[];
  partitionColumn: string | undefined;
  /** The column a snapshot stream's date fills (StreamDef.snapshot). */
  snapshotColumn: string | undefined;
  hasUpdatedAt: boolean;
}

export type MappedRecord =
  | { ok: true; values: (string | null)[]; pk: string; raw: string; changes: ValueChange[] }
  | { ok: false; reason: string; pk: string | undefined; raw: string };

/** Separator of composite primary-key text (unit separator; never in ids). SQL twin in walks.ts. */
export const PK_SEPARATOR = '\u001f';

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const plans = new WeakMap<PgTable, TablePlan>();

export function planTable(table: PgTable, stream: StreamDef): TablePlan {
  const cached = plans.get(table);
  if (cached) return cached;
  const overrides = COLUMN_SOURCES[stream.name] ?? {};
  const lineage = new Set<string>(LINEAGE_COLUMNS);
  const columns = Object.values(getTableColumns(table) as Record<string, PgColumn>)
    .filter((c) => !lineage.has(c.name))
    .map((c) => {
      const override = overrides[c.name];
      const sources = override ? [override.split('.')] : [[c.name], [camel(c.name)]];
      return { name: c.name, sqlType: c.getSQLType(), notNull: c.notNull, sources };
    });
  for (const key of stream.primaryKey) {
    if (!columns.some((c) => c.name === key))
      throw new Error(`${stream.name}: primary key column ${key} is not in the table`);
  }
  const plan: TablePlan = {
    table,
    stream,
    columns,
    primaryKey: stream.primaryKey,
    partitionColumn: stream.parent?.column ?? stream.fanOut?.column,
    snapshotColumn: stream.snapshot?.column,
    hasUpdatedAt: columns.some((c) => c.name === 'updated_at' && c.sqlType.startsWith('timestamp')),
  };
  plans.set(table, plan);
  return plan;
}

export function mapRecord(
  plan: TablePlan,
  received: Record<string, unknown>,
  partition: string,
  privacy?: PrivacyPolicy,
  /** The UTC date a snapshot stream's rows describe (its `snapshot.column`). */
  snapshotDate?: string,
): MappedRecord {
  // Personal-data controls first: neither a typed column, `raw` nor `_changes` ever sees what they remove.
  const record = privacy ? privacy.apply(plan.stream.name, received) : received;
  const { raw, repairs } = storableRaw(record);
  const byName = new Map<string, string | null>();
  const problems: string[] = [];
  const dropped: ValueChange[] = [];
  for (const col of plan.columns) {
    const value =
      col.name === plan.partitionColumn
        ? partition || undefined
        : col.name === plan.snapshotColumn
          ? snapshotDate
          : read(record, col.sources);
    const coerced = coerceValue(value, col.sqlType);
    if (coerced.ok) byName.set(col.name, coerced.text);
    else if (plan.primaryKey.includes(col.name) || col.notNull)
      problems.push(`${col.name}: ${coerced.reason}`);
    else dropped.push(droppedValue(col.name, coerced.reason, value));
  }
  const missing = plan.primaryKey.filter((k) => !byName.get(k));
  const pk = missing.length === 0 ? plan.primaryKey.map((k) => byName.get(k)).join(PK_SEPARATOR) : undefined;
  if (missing.length > 0) problems.unshift(`missing primary key ${missing.join(', ')}`);
  for (const col of plan.columns) {
    if (col.notNull && !byName.has(col.name)) continue; // reported above
    if (col.notNull && byName.get(col.name) == null && !plan.primaryKey.includes(col.name)) {
      problems.push(`${col.name}: required, got nothing`);
    }
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; '), pk, raw };
  const values = plan.columns.map((c) => byName.get(c.name) ?? null);
  return { ok: true, values, pk: pk!, raw, changes: [...dropped, ...repairs] };
}

function read(record: Record<string, unknown>, sources: ColumnPlan['sources']): unknown {
  for (const path of sources) {
    let v: unknown = record;
    for (const key of path)
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}
