/**
 * The clean views BI tools read, generated from the catalog and the Drizzle schema so a new
 * stream gets its view with no code here: one view per stream in `<schema>_analytics` holding
 * live rows only (`_deleted_at is null`, and every catalog parent up the chain live too: a
 * deleted campaign hides its prospects, senders, nodes and messages), with the typed columns
 * under their table names, plus `freshness`.
 *
 * Every statement reads base tables only (a child's condition repeats its parents' conditions
 * instead of reading their views), so any view can be replaced or rebuilt on its own. The same
 * text, with `{{ source(…) }}` for the table names, is the dbt staging models (scripts/gen-dbt.ts).
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { getStream, STREAMS, type StreamDef, type StreamName } from '../extract/streams.ts';
import { LINEAGE_COLUMNS, type Tables } from '../load/schema.ts';
import { streamRunFactsSql } from '../load/sync-runs/view-sql.ts';
import { columnsOf, primaryKeyOf } from './documented-schema.ts';

export const ANALYTICS_SUFFIX = '_analytics';
export const FRESHNESS_VIEW = 'freshness';

/** How generated SQL names a table of the main schema: `"puffle"."campaigns"`, or a dbt `source()`. */
export type Relation = (table: string) => string;

export function analyticsSchema(schema: string): string {
  return `${schema}${ANALYTICS_SUFFIX}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function schemaRelation(schema: string): Relation {
  return (table) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

const SIMPLE_NAME = /^[a-z_][a-z0-9_]*$/;
/** `t.name` (any keyword is a valid name after the dot); quoted when the name is not plain. */
const col = (alias: string, name: string) => `${alias}.${SIMPLE_NAME.test(name) ? name : quoteIdent(name)}`;

/**
 * The columns a stream's view shows: the typed columns, then `_synced_at` (when the row last
 * changed, for incremental models) and `_changes` (which typed values were dropped and why: a
 * NULL there may mean "Puffle sent something Postgres refuses", not "Puffle sent nothing").
 * `raw` only where the record shape is undocumented (nothing but the key is typed); the other
 * lineage columns never.
 */
export function viewColumns(table: PgTable): string[] {
  const lineage = new Set<string>(LINEAGE_COLUMNS);
  const names = columnsOf(table).map((c) => c.name);
  const typed = names.filter((n) => !lineage.has(n) && !n.startsWith('_'));
  const keysOnly = typed.every((n) => primaryKeyOf(table).includes(n));
  return [...typed, ...(keysOnly ? ['raw'] : []), '_synced_at', '_changes'];
}

/** `alias` is live: not soft-deleted, and its catalog parent (recursively) is live too. */
export function liveCondition(def: StreamDef, alias: string, rel: Relation, indent = '  '): string {
  const own = `${col(alias, '_deleted_at')} is null`;
  if (!def.parent) return own;
  const parent = getStream(def.parent.stream);
  const p = `p${alias === 't' ? 1 : Number(alias.slice(1)) + 1}`;
  const inner = `${indent}  `;
  return [
    own,
    `${indent}and exists (`,
    `${inner}select 1 from ${rel(parent.name)} as ${p}`,
    `${inner}where ${col(p, def.parent.field)} = ${col(alias, def.parent.column)}`,
    `${inner}  and ${liveCondition(parent, p, rel, `${inner}  `)}`,
    `${indent})`,
  ].join('\n');
}

export interface StreamView {
  stream: StreamName;
  columns: string[];
  /** The SELECT behind the view (no trailing semicolon). */
  sql(rel: Relation): string;
}

export function streamViews(tables: Tables): StreamView[] {
  return STREAMS.map((def) => {
    const columns = viewColumns(tables.streams[def.name]);
    return {
      stream: def.name,
      columns,
      sql: (rel: Relation) =>
        [
          `select`,
          columns.map((c) => `  ${col('t', c)}`).join(',\n'),
          `from ${rel(def.name)} as t`,
          `where ${liveCondition(def, 't', rel)}`,
        ].join('\n'),
    };
  });
}

/**
 * The columns of the `freshness` view, in order: the expression over `c` (row counts per stream),
 * `r` (sync_runs per stream) and `h` (held_deletions per stream), and what it means (the view's COMMENTs and docs).
 */
export const FRESHNESS_COLUMNS: ReadonlyArray<{ name: string; sql: string; meaning: string }> = [
  { name: 'stream', sql: 'c.stream', meaning: 'Stream (table and view) name.' },
  {
    name: 'last_success_at',
    sql: 'r.last_success_at',
    meaning:
      'When the newest successful sync of the stream finished (from sync_runs), whether or not any row changed. Null: never synced successfully.',
  },
  {
    name: 'age',
    sql: "date_trunc('second', now() - r.last_success_at)",
    meaning: 'now() minus last_success_at, to the second.',
  },
  { name: 'rows', sql: 'c.rows', meaning: 'Rows in the stream view: live rows whose parents are live.' },
  {
    name: 'deleted_rows',
    sql: 'c.deleted_rows',
    meaning: 'Rows soft-deleted in the table (`_deleted_at` set), hidden from the view.',
  },
  {
    name: 'last_run_status',
    sql: 'r.last_run_status',
    meaning: 'Status of the newest run of the stream: `running`, `succeeded`, `failed` or `partial`.',
  },
  {
    name: 'last_run_error',
    sql: 'r.last_run_error',
    meaning: 'Error class of the newest run of the stream, when it failed.',
  },
  {
    name: 'held_deletions',
    sql: 'coalesce(h.held, 0)',
    meaning:
      'Rows the mass-delete guard holds from deletion (still live, counted in rows) until the next complete walk confirms them; from held_deletions. 0: none.',
  },
];

/**
 * Per stream: the newest successful sync, its age, the rows the view shows, the soft-deleted rows
 * and the newest run's outcome. Every stream of the catalog has a row, synced or not.
 */
export function freshnessViewSql(rel: Relation): string {
  const counts = STREAMS.map((def) =>
    [
      `  select '${def.name}' as stream,`,
      `    count(*) filter (where ${liveCondition(def, 't', rel, '    ')}) as rows,`,
      '    count(*) filter (where t._deleted_at is not null) as deleted_rows',
      `  from ${rel(def.name)} as t`,
    ].join('\n'),
  );
  return [
    'with runs as (',
    ...streamRunFactsSql(rel('sync_runs')),
    '),',
    'held as (',
    `  select stream, sum(held)::bigint as held from ${rel('held_deletions')} group by stream`,
    '),',
    'counts as (',
    counts.join('\n  union all\n'),
    ')',
    'select',
    FRESHNESS_COLUMNS.map((c) => `  ${c.sql} as ${c.name}`).join(',\n'),
    'from counts as c',
    'left join runs as r on r.stream = c.stream',
    'left join held as h on h.stream = c.stream',
  ].join('\n');
}
