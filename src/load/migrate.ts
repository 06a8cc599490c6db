/**
 * Applies the drizzle-kit migrations in migrations/ to the configured schema.
 *
 * Hand written rather than drizzle-orm's `migrate()` because (1) drizzle-kit writes the schema
 * name (`"puffle"`) into the SQL and we must apply it to any PUFFLE_SYNC_SCHEMA, (2) drizzle's
 * migrator takes no lock, so N replicas booting together race (drizzle-orm#874), and (3) the
 * record of applied migrations belongs inside the target schema, not in a shared `drizzle` one.
 *
 * Everything runs in one transaction holding a transaction-scoped advisory lock keyed by the
 * schema name: concurrent callers queue, and each migration is applied exactly once (DDL is
 * transactional in Postgres, so a failed migration leaves nothing behind).
 *
 * A caller may add DDL generated from code rather than a file (`generated`: the analytics views
 * and comments). It runs in the same transaction, after the files, whenever its hash differs from
 * the one recorded under its tag or `present()` finds something it creates missing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Database, type DrizzleDb, type Executor, rows } from './database.ts';

/** The schema name drizzle-kit generated the SQL for (drizzle.config.ts → schema.ts `puffle`). */
export const GENERATED_SCHEMA = 'puffle';
export const MIGRATIONS_TABLE = '__puffle_sync_migrations';
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrateResult {
  /** Tags applied by this call, in order. */
  applied: string[];
  /** Tags that were already applied. */
  skipped: string[];
  /** Tags of generated DDL (re)applied by this call. */
  generated: string[];
}

export type MigrationTx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0];

/** DDL derived from code; see the header. */
export interface GeneratedMigration {
  tag: string;
  /** Changes whenever the DDL would. */
  hash: string;
  /** Whether everything it creates exists (someone may have dropped a view by hand). */
  present(tx: Executor): Promise<boolean>;
  apply(tx: MigrationTx): Promise<void>;
}

interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

export async function migrate(
  database: Database,
  opts: { dir?: string; generated?: readonly GeneratedMigration[] } = {},
): Promise<MigrateResult> {
  const migrations = readMigrations(opts.dir ?? DEFAULT_MIGRATIONS_DIR, database.schema);
  const schema = sql.identifier(database.schema);
  const table = sql`${schema}.${sql.identifier(MIGRATIONS_TABLE)}`;
  const result: MigrateResult = { applied: [], skipped: [], generated: [] };
  await database.db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('puffle-sync:migrate'), hashtext(${database.schema}))`,
    );
    await ensureSchema(tx, database.schema);
    await tx.execute(
      sql`create table if not exists ${table} (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
    );
    const done = new Map(
      (await rows<{ tag: string; hash: string }>(tx, sql`select tag, hash from ${table}`)).map((r) => [
        r.tag,
        r.hash,
      ]),
    );
    for (const m of migrations) {
      const appliedHash = done.get(m.tag);
      if (appliedHash !== undefined) {
        if (appliedHash !== m.hash) {
          database.logger.warn(
            { tag: m.tag },
            'an applied migration file has changed since it was applied; migrations must never be edited',
          );
        }
        result.skipped.push(m.tag);
        continue;
      }
      for (const statement of m.statements)
        if (!CREATES_SCHEMA.test(statement)) await tx.execute(sql.raw(statement)); // ensured above
      await tx.execute(sql`insert into ${table} (tag, hash) values (${m.tag}, ${m.hash})`);
      result.applied.push(m.tag);
    }
    for (const g of opts.generated ?? []) {
      if (done.get(g.tag) === g.hash && (await g.present(tx))) continue;
      await g.apply(tx);
      await tx.execute(sql`insert into ${table} (tag, hash) values (${g.tag}, ${g.hash})
        on conflict (tag) do update set hash = excluded.hash, applied_at = now()`);
      result.generated.push(g.tag);
    }
  });
  if (result.applied.length + result.generated.length > 0) {
    database.logger.info(
      { schema: database.schema, applied: result.applied, generated: result.generated },
      'applied database migrations',
    );
  }
  return result;
}

const CREATES_SCHEMA = /^CREATE SCHEMA IF NOT EXISTS "[^"]+";?$/;

/**
 * Creates the schema when missing. Not `create schema if not exists` alone: Postgres checks the
 * CREATE right on the database even when the schema exists, and a role given a schema it owns
 * (docs/running-in-production.md, "Database roles") needs no right on the database.
 */
export async function ensureSchema(tx: Executor, name: string): Promise<void> {
  const [row] = await rows<{ present: boolean }>(
    tx,
    sql`select to_regnamespace(${name}) is not null as present`,
  );
  if (!row?.present) await tx.execute(sql`create schema if not exists ${sql.identifier(name)}`);
}

export function readMigrations(dir: string, schemaName: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = readFileSync(join(dir, `${tag}.sql`), 'utf8');
      return {
        tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text
          .split('--> statement-breakpoint')
          .map((s) => forSchema(s.trim(), schemaName))
          .filter(Boolean),
      };
    });
}

/** Points generated SQL at `schemaName`; the schema itself is created (if missing) beforehand. */
export function forSchema(statement: string, schemaName: string): string {
  const from = `"${GENERATED_SCHEMA}"`;
  const to = `"${schemaName}"`;
  return statement.replace(`CREATE SCHEMA ${from}`, `CREATE SCHEMA IF NOT EXISTS ${to}`).replaceAll(from, to);
}
