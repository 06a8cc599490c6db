/**
 * What `migrate` maintains beyond the migration files: the analytics schema with its views and
 * every `COMMENT ON`. `migrateWarehouse` is the migrate every command runs; the views follow the
 * catalog, the schema and the descriptions, and are rebuilt only when those changed.
 *
 * A view is replaced in place (`create or replace` keeps the GRANTs given on it); when its columns
 * changed shape (a column removed or retyped), it is dropped and created again, and if views of
 * your own depend on it, migrate stops and names it rather than dropping them.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, type MigrateResult, migrate, sqlStateOf } from '../load/index.ts';
import { ensureSchema, type GeneratedMigration, type MigrationTx } from '../load/migrate.ts';
import { buildTables } from '../load/schema.ts';
import { commentStatements } from './comments.ts';
import {
  analyticsSchema,
  FRESHNESS_VIEW,
  freshnessViewSql,
  quoteIdent,
  schemaRelation,
  streamViews,
} from './views.ts';

export const ANALYTICS_TAG = 'generated:analytics';

/** Postgres' limit on identifier length. */
const MAX_IDENTIFIER = 63;

interface ViewDdl {
  name: string;
  select: string;
}

export function analyticsViews(schema: string): ViewDdl[] {
  const rel = schemaRelation(schema);
  return [
    ...streamViews(buildTables(schema)).map((v) => ({ name: v.stream, select: v.sql(rel) })),
    { name: FRESHNESS_VIEW, select: freshnessViewSql(rel) },
  ];
}

export function analyticsMigration(schema: string): GeneratedMigration {
  const analytics = analyticsSchema(schema);
  if (analytics.length > MAX_IDENTIFIER)
    throw new Error(
      `the analytics schema name "${analytics}" is longer than ${MAX_IDENTIFIER} characters: choose a shorter PUFFLE_SYNC_SCHEMA`,
    );
  const views = analyticsViews(schema);
  const comments = commentStatements(schema);
  const hash = createHash('sha256').update(JSON.stringify({ views, comments })).digest('hex');
  return {
    tag: ANALYTICS_TAG,
    hash,
    async present(tx) {
      const result = (await tx.execute(sql`
        select count(*)::int as n from pg_views
        where schemaname = ${analytics} and viewname = any(${sql.param(views.map((v) => v.name))}::text[])`)) as unknown as {
        rows: { n: number }[];
      };
      return result.rows[0]?.n === views.length;
    },
    async apply(tx) {
      await ensureSchema(tx, analytics);
      // All views in one round trip; when one changed shape, view by view (replaceView).
      const all = views.map(
        (v) => `create or replace view ${quoteIdent(analytics)}.${quoteIdent(v.name)} as\n${v.select};`,
      );
      try {
        await tx.transaction((sp) =>
          sp.execute(sql.raw(`do $puffle$ begin\n${all.join('\n')}\nend $puffle$`)),
        );
      } catch {
        for (const view of views) await replaceView(tx, analytics, view);
      }
      // One round trip for hundreds of comments (PGlite's driver sends one statement per call).
      await tx.execute(
        sql.raw(`do $puffle$ begin\n${comments.map((c) => `${c};`).join('\n')}\nend $puffle$`),
      );
    },
  };
}

/** `migrate` with the analytics views and comments: what every command that migrates runs. */
export function migrateWarehouse(database: Database): Promise<MigrateResult> {
  return migrate(database, { generated: [analyticsMigration(database.schema)] });
}

const INVALID_TABLE_DEFINITION = '42P16';
const DATATYPE_MISMATCH = '42804';
const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';

async function replaceView(tx: MigrationTx, schema: string, view: ViewDdl): Promise<void> {
  const name = `${quoteIdent(schema)}.${quoteIdent(view.name)}`;
  try {
    await tx.transaction((sp) => sp.execute(sql.raw(`create or replace view ${name} as\n${view.select}`)));
    return;
  } catch (err) {
    const code = sqlStateOf(err);
    if (code !== INVALID_TABLE_DEFINITION && code !== DATATYPE_MISMATCH) throw err;
  }
  try {
    await tx.transaction((sp) => sp.execute(sql.raw(`drop view ${name}`)));
  } catch (err) {
    if (sqlStateOf(err) !== DEPENDENT_OBJECTS_STILL_EXIST) throw err;
    throw new Error(
      `view ${schema}.${view.name} changed its columns and views of your own depend on it: drop them (\\d+ ${schema}.${view.name} lists them), run migrate, then create them again`,
      { cause: err },
    );
  }
  await tx.execute(sql.raw(`create view ${name} as\n${view.select}`));
}
