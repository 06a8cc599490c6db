/**
 * `puffle-sync sql` — serves the embedded warehouse over the Postgres wire protocol, so psql,
 * Metabase, DBeaver and dbt can open it. A sync of the same directory started meanwhile goes
 * through the port (src/load/served.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { migrateWarehouse } from '../../analytics/migration.ts';
import { analyticsSchema } from '../../analytics/views.ts';
import { isLoopbackHost } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { host, integer } from '../../config/kinds.ts';
import { openConfiguredDatabase } from '../../jobs/runtime.ts';
import { writeServedMarker } from '../../load/served.ts';
import { createLogger } from '../../log.ts';
import { DEFAULT_SQL_PORT, listenSqlPort, startSqlPort } from '../../sql-port/server.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { boundedOption } from '../flags.ts';
import { listenOrConfigError } from '../listen-error.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { DEMO_DATA_DIR } from './demo.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('sql')
      .description(
        'Serve the embedded warehouse over the Postgres protocol, for psql, Metabase, DBeaver and dbt',
      )
      .addOption(
        boundedOption(
          '--port <port>',
          'port to listen on (0 = any free port)',
          integer({ min: 0, max: 65_535 }),
          DEFAULT_SQL_PORT,
        ),
      )
      .addOption(
        boundedOption(
          '--host <address>',
          'address to bind; anything but loopback lets anyone who can reach it read and change the warehouse (no password)',
          host(),
          '127.0.0.1',
        ),
      ),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    if (config.databaseUrl)
      throw new ConfigError(
        'DATABASE_URL is set: that warehouse is Postgres already, connect to it directly (psql "$DATABASE_URL"); `sql` serves the embedded one',
      );
    const port: number = opts.port;
    const logger = createLogger({ interactive: Boolean(process.stderr.isTTY), level: config.logLevel });
    const dataDir = dataDirToServe(
      config.dataDir,
      Boolean(opts.dataDir || process.env.PUFFLE_SYNC_DATA_DIR?.trim()),
    );
    if (!isLoopbackHost(opts.host))
      logger.warn(
        `sql port bound to ${opts.host}: anyone who can reach it can read and change the warehouse, without a password`,
      );
    // The port first: a taken one fails at once, before the database opens and migrates.
    const listener = await listenOrConfigError(() => listenSqlPort(opts.host, port), {
      host: opts.host,
      port,
    });
    const db = await openConfiguredDatabase({ ...config, dataDir }, logger).catch((err: unknown) => {
      listener.server.close();
      throw err;
    });
    let marker: { remove(): void } | undefined;
    let sqlPort: Awaited<ReturnType<typeof startSqlPort>> | undefined;
    try {
      if (!db.pglite)
        throw new ConfigError(
          `the embedded database in ${dataDir} is already served by another puffle-sync sql`,
        );
      await migrateWarehouse(db);
      sqlPort = await startSqlPort({ pglite: db.pglite, listener, dataDir: resolve(dataDir), logger });
      marker = writeServedMarker(dataDir, sqlPort.url);
      process.stdout.write(banner(sqlPort.url, sqlPort.host, sqlPort.port, dataDir, config.schema));
      const stop = await Promise.race([
        new Promise<undefined>((done) => onShutdownSignal(() => done(undefined))),
        sqlPort.failed,
      ]);
      if (stop) throw stop;
    } finally {
      marker?.remove();
      if (sqlPort) await sqlPort.close();
      else listener.server.close();
      await db.close();
    }
  });
}

/**
 * The configured directory; when none was given and the default holds no warehouse yet, the
 * demo's (so `demo` then `sql` shows what the demo synced).
 */
function dataDirToServe(configured: string, explicit: boolean): string {
  const has = (dir: string) => existsSync(join(dir, 'pgdata'));
  if (explicit || has(configured) || !has(DEMO_DATA_DIR)) return configured;
  process.stderr.write(
    `puffle-sync sql: nothing synced in ${configured} yet; serving the demo's ${DEMO_DATA_DIR}\n`,
  );
  return DEMO_DATA_DIR;
}

function banner(url: string, host: string, port: number, dataDir: string, schema: string): string {
  const analytics = analyticsSchema(schema);
  return [
    `Serving the embedded warehouse in ${dataDir} (tables in "${schema}", clean views in "${analytics}").`,
    '',
    `  connection string  ${url}`,
    `  psql               psql ${url} -c 'select * from ${analytics}.freshness'`,
    `  Metabase, DBeaver  PostgreSQL, host ${host}, port ${port}, database postgres, user postgres, no password`,
    port === DEFAULT_SQL_PORT && host === '127.0.0.1'
      ? '  dbt                cd dbt && dbt build   (dbt/profiles.yml connects here by default)'
      : `  dbt                cd dbt && PGHOST=${host} PGPORT=${port} dbt build`,
    '',
    'A sync of this directory started now goes through this port. Ctrl-C stops serving.',
    '',
  ].join('\n');
}
