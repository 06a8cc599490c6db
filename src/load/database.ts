/**
 * Opens the warehouse: Postgres through a node-postgres pool when a URL is given, else embedded
 * PGlite in `dataDir` behind a directory lock (PGlite is single-process; a second opener fails
 * fast with DatabaseLockedError). Both sessions run in UTC so timestamps format identically.
 * `close()` is memoized: safe to call twice, from a SIGINT handler, or after a failed open.
 */
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { ConfigError } from '../config/config-error.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { CommitGroupCaps } from './commit-group.ts';
import { checkDatabaseDir, tightenTree } from './data-dir.ts';
import { acquireDirLock } from './dir-lock.ts';
import { DatabaseUnreachableError } from './errors/database-unreachable-error.ts';
import { createPglite } from './pglite-open.ts';
import type { PrivacyPolicy } from './privacy.ts';
import { buildTables, type Tables } from './schema.ts';
import { servedUrl, throughSqlPort } from './served.ts';

export type DrizzleDb = PgDatabase<PgQueryResultHKT>;
/** A database or an open transaction: anything that can run a statement. */
export type Executor = Pick<DrizzleDb, 'execute'>;

export interface Database {
  kind: 'postgres' | 'pglite';
  db: DrizzleDb;
  schema: string;
  tables: Tables;
  logger: Logger;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /**
   * A lock held until `release()` or until this process dies (a Postgres session advisory lock
   * on its own connection); undefined when another holder has it. PGlite is single-process
   * already (the directory lock), so there it always succeeds.
   */
  tryLock(name: string): Promise<DatabaseLock | undefined>;
  close(): Promise<void>;
  /** The embedded PGlite itself, when opened in this process (what `puffle-sync sql` serves). */
  pglite?: PGlite;
  /** Personal-data controls applied to every record before it is written (privacy.ts). */
  privacy?: PrivacyPolicy;
  /** Caps of a walk's commit groups. @default DEFAULT_COMMIT_GROUP */
  commitGroup?: CommitGroupCaps;
}

export interface DatabaseLock {
  release(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; undefined = embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** @default './.puffle-sync' (from config) */
  dataDir: string;
  /** Postgres schema holding every table. @default 'puffle' (from config) */
  schema: string;
  logger?: Logger;
  /** Pool size for Postgres. @default 5 */
  poolSize?: number;
  /** From buildPrivacyPolicy(config); undefined = store records as sent. */
  privacy?: PrivacyPolicy;
  commitGroup?: CommitGroupCaps;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function rows<T>(exec: Executor, statement: SQL): Promise<T[]> {
  const result = (await exec.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

/** Rows of a statement given as SQL text (trusted, e.g. the demo's canned queries) or a `sql` template. */
export async function queryRows<T = Record<string, unknown>>(
  database: Database,
  statement: string | SQL,
): Promise<T[]> {
  return database.query<T>(typeof statement === 'string' ? sql.raw(statement) : statement);
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (!SCHEMA_NAME.test(opts.schema) || opts.schema === 'public' || opts.schema.startsWith('pg_')) {
    throw new ConfigError(
      'PUFFLE_SYNC_SCHEMA must be a lower-case SQL identifier (a-z, 0-9, _) naming a schema of its own (not public or pg_…)',
    );
  }
  const logger = opts.logger ?? silentLogger;
  // An embedded directory served by `puffle-sync sql` is reached through its port (served.ts).
  const url = opts.databaseUrl ?? servedUrl(opts.dataDir);
  const database = url
    ? await throughSqlPort(await openPostgres(url, opts, logger))
    : await openPglite(opts, logger);
  return { ...database, privacy: opts.privacy, commitGroup: opts.commitGroup };
}

async function openPostgres(url: string, opts: OpenDatabaseOptions, logger: Logger): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 5,
    application_name: 'puffle-sync',
    // synchronous_commit=off: a commit returns before its WAL reaches disk (flushed within ~200 ms).
    // A Postgres crash can lose the last commits, each with its rows and checkpoint together (the
    // next run re-fetches them). The commit that reports a stream or run finished is synchronous
    // (sync-runs/write.ts), so a run reported succeeded has durable rows. An fsync per commit cost 6.7 ms
    // against 0.28 ms here, paid twice by every one-page child walk (bench/README.md).
    options: '-c TimeZone=UTC -c synchronous_commit=off',
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', (err) => logger.warn({ err }, 'postgres connection lost'));
  // A checked-out client whose connection dies between statements (e.g. pg_terminate_backend
  // while a transaction awaits) emits 'error' on the client itself; unhandled, that kills the
  // process. Logged here, the client's next statement fails and the page commit reports it.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ err }, 'postgres connection lost while in use'));
  });
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseUnreachableError(
      `cannot connect to the database at ${describeUrl(url)}: ${reason(err)}`,
      {
        cause: err,
      },
    );
  }
  const db = drizzleNodePg(pool) as unknown as DrizzleDb;
  db.transaction = (fn, config) => transactionOnOwnClient(pool, fn, config);
  return makeDatabase(
    'postgres',
    db,
    opts.schema,
    logger,
    () => pool.end(),
    (name) => tryAdvisoryLock(url, name, logger),
  );
}

/**
 * drizzle's pool transaction checks a client out and sends `begin` outside its try/finally: when
 * the connection is already dead (terminated backend, network cut) the client is never released,
 * the pool drains, and `pool.end()` waits forever. Here the client is ours, released whatever
 * happens; the pool discards it when its connection is broken.
 */
async function transactionOnOwnClient<T>(
  pool: pg.Pool,
  fn: Parameters<DrizzleDb['transaction']>[0],
  config: Parameters<DrizzleDb['transaction']>[1],
): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    const onClient = drizzleNodePg(client) as unknown as DrizzleDb;
    return (await onClient.transaction(fn, config)) as T;
  } catch (err) {
    failure = err as Error;
    throw err;
  } finally {
    // Passing the error makes the pool destroy the client instead of reusing a broken connection.
    client.release(failure);
  }
}

async function openPglite(opts: OpenDatabaseOptions, logger: Logger): Promise<Database> {
  const lock = acquireDirLock(opts.dataDir);
  const pgdata = join(opts.dataDir, 'pgdata');
  let client: PGlite | undefined;
  try {
    checkDatabaseDir(opts.dataDir, pgdata);
    tightenTree(opts.dataDir);
    client = await createPglite(pgdata);
  } catch (err) {
    lock.release();
    if (err instanceof ConfigError) throw err;
    throw new DatabaseUnreachableError(
      `cannot open the embedded database in ${opts.dataDir}: ${reason(err)}`,
      {
        cause: err,
      },
    );
  }
  const pglite = client;
  const db = drizzlePglite(pglite) as unknown as DrizzleDb;
  logger.debug({ dataDir: opts.dataDir }, 'opened embedded PGlite database');
  const database = makeDatabase('pglite', db, opts.schema, logger, async () => {
    try {
      await pglite.close();
    } finally {
      // Files PGlite created while open are world-readable until now.
      tightenTree(opts.dataDir);
      lock.release();
    }
  });
  return { ...database, pglite };
}

const NO_LOCK_NEEDED: DatabaseLock = { release: async () => {} };

/** A session advisory lock on a connection of its own, so pool churn never drops it. */
async function tryAdvisoryLock(url: string, name: string, logger: Logger): Promise<DatabaseLock | undefined> {
  const client = new pg.Client({ connectionString: url, application_name: 'puffle-sync' });
  client.on('error', (err) => logger.warn({ err, lock: name }, 'lost the connection holding a lock'));
  await client.connect();
  try {
    const { rows: got } = await client.query<{ ok: boolean }>(
      'select pg_try_advisory_lock(hashtextextended($1, 0)) as ok',
      [name],
    );
    if (!got[0]?.ok) {
      await client.end();
      return undefined;
    }
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  let released: Promise<void> | undefined;
  const unlock = () => client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [name]);
  return {
    // Unlocked before the session ends: once release() resolves, the lock is free for everyone
    // (a backend ending its session frees its locks a moment after the socket closes).
    release: () =>
      (released ??= unlock()
        .then(
          () => client.end(),
          () => client.end(),
        )
        .catch(() => {})),
  };
}

function makeDatabase(
  kind: Database['kind'],
  db: DrizzleDb,
  schema: string,
  logger: Logger,
  end: () => Promise<void>,
  tryLock: (name: string) => Promise<DatabaseLock | undefined> = async () => NO_LOCK_NEEDED,
): Database {
  let closing: Promise<void> | undefined;
  return {
    kind,
    db,
    schema,
    tables: buildTables(schema),
    logger,
    query: (statement) => rows(db, statement),
    tryLock,
    close: () => {
      closing ??= end();
      return closing;
    },
  };
}

function describeUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** One line from whatever was thrown; Emscripten's file-system errors are bare `{ errno }` objects. */
function reason(err: unknown): string {
  const e = err as { message?: string; code?: string; errno?: number };
  const text =
    e?.message || e?.code || (typeof e?.errno === 'number' ? `file system error ${e.errno}` : undefined);
  return (text ?? (typeof err === 'string' ? err : 'unknown error')).split('\n')[0] ?? 'unknown error';
}
