/**
 * `COMMENT ON` statements for every table, view and column, from src/analytics/descriptions.ts:
 * BI tools (Metabase, DBeaver, dbt docs) show them as table and column descriptions.
 */
import { buildTables } from '../load/schema.ts';
import { columnMeaning, columnsOf, documentedTables, plainText, tableSummary } from './documented-schema.ts';
import { analyticsSchema, FRESHNESS_COLUMNS, FRESHNESS_VIEW, quoteIdent, streamViews } from './views.ts';

const literal = (text: string) => `'${plainText(text).replace(/'/g, "''")}'`;

export const VIEW_NOTE = 'Live rows only: soft-deleted rows and the rows of deleted parents are hidden.';

export const FRESHNESS_SUMMARY =
  'Per stream: when it last synced successfully, how long ago, the rows its view shows and the soft-deleted rows, how its newest run ended, and the deletions held by the mass-delete guard.';

export function commentStatements(schema: string): string[] {
  const tables = buildTables(schema);
  const analytics = analyticsSchema(schema);
  const out: string[] = [
    `comment on schema ${quoteIdent(analytics)} is ${literal(`Clean views over the puffle-sync tables in "${schema}": one per stream, ${VIEW_NOTE.toLowerCase()} Point BI tools here.`)}`,
  ];
  for (const [name, table] of Object.entries(documentedTables(tables))) {
    const rel = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    out.push(`comment on table ${rel} is ${literal(tableSummary(name))}`);
    for (const c of columnsOf(table))
      out.push(`comment on column ${rel}.${quoteIdent(c.name)} is ${literal(columnMeaning(name, c.name))}`);
  }
  for (const view of streamViews(tables)) {
    const rel = `${quoteIdent(analytics)}.${quoteIdent(view.stream)}`;
    out.push(`comment on view ${rel} is ${literal(`${tableSummary(view.stream)} ${VIEW_NOTE}`)}`);
    for (const c of view.columns)
      out.push(`comment on column ${rel}.${quoteIdent(c)} is ${literal(columnMeaning(view.stream, c))}`);
  }
  const freshness = `${quoteIdent(analytics)}.${quoteIdent(FRESHNESS_VIEW)}`;
  out.push(`comment on view ${freshness} is ${literal(FRESHNESS_SUMMARY)}`);
  for (const c of FRESHNESS_COLUMNS)
    out.push(`comment on column ${freshness}.${quoteIdent(c.name)} is ${literal(c.meaning)}`);
  return out;
}
