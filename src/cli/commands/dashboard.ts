/**
 * `puffle-sync dashboard` — the status page (/) and its JSON (/api/status), Bull Board (/queues,
 * with a queue backend), Prometheus /metrics and /healthz for the whole fleet; on Postgres, or on the
 * embedded database of one machine (the demo's, a single-host sync).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { isLoopbackHost } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { host, integer } from '../../config/kinds.ts';
import { VARIABLES } from '../../config/variables.ts';
import { startDashboard } from '../../dashboard/index.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { boundedOption } from '../flags.ts';
import { listenOrConfigError } from '../listen-error.ts';
import { printOut } from '../output.ts';
import { onShutdownSignal } from '../shutdown.ts';

export const DASHBOARD_TOKEN_ENV = VARIABLES.dashboardToken.env;

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('dashboard')
      .description(
        'Serve the status page (/, /api/status), Bull Board (/queues, with a queue backend), Prometheus /metrics and /healthz',
      )
      .addOption(
        boundedOption(
          '--port <port>',
          'port to listen on (0 = any free port)',
          integer({ min: 0, max: 65_535 }),
          3000,
        ),
      )
      .addOption(
        boundedOption(
          '--host <address>',
          `address to bind; anything but loopback exposes the dashboard, so set ${DASHBOARD_TOKEN_ENV}`,
          host(),
          '127.0.0.1',
        ),
      )
      .option(
        '--read-only',
        `Bull Board without retry/promote/clean/remove actions (always, without ${DASHBOARD_TOKEN_ENV})`,
      )
      .addHelpText(
        'after',
        `\nSet ${DASHBOARD_TOKEN_ENV} (or ${DASHBOARD_TOKEN_ENV}_FILE) to require a token on every route but /healthz:\n` +
          '  Authorization: Bearer <token>, or basic auth with the token as password (any user).\n' +
          'Without it Bull Board is read-only. Requests whose Host is not this address, a loopback name,\n' +
          'an IP address or one of --allowed-hosts are refused (421), against DNS rebinding.\n',
      ),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    if (!config.databaseUrl && !existsSync(join(config.dataDir, 'pgdata')))
      throw new ConfigError(
        `DATABASE_URL is not set and ${config.dataDir} holds no embedded database: set DATABASE_URL, or --data-dir to where a sync or the demo wrote (the demo: ./.puffle-sync-demo)`,
      );
    const token = config.dashboardToken;
    const logger = createLogger({ interactive: Boolean(process.stderr.isTTY), level: config.logLevel });
    const dashboard = await listenOrConfigError(
      () =>
        startDashboard({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          freshnessTargets: config.freshnessTargets,
          streams: config.streams,
          redisUrl: config.queueBackend === 'redis' ? config.redisUrl : undefined,
          queueBackend: config.queueBackend,
          schema: config.schema,
          queuePrefix: config.queuePrefix,
          host: opts.host,
          port: opts.port,
          token,
          allowedHosts: config.dashboardAllowedHosts,
          readOnly: Boolean(opts.readOnly),
          logger,
        }),
      { host: opts.host, port: opts.port },
    );
    if (!token && !isLoopbackHost(opts.host))
      logger.warn(
        `dashboard bound to ${opts.host} without ${DASHBOARD_TOKEN_ENV}: anyone who can reach it can read it (Bull Board is read-only)`,
      );
    printOut(
      `dashboard listening on ${dashboard.url}: status page at ${dashboard.url}/${config.queueBackend ? `, Bull Board at ${dashboard.url}/queues` : ' (no queue backend: no queues to show)'}`,
    );
    if (!config.databaseUrl)
      printOut(
        `reading the embedded database in ${config.dataDir}; stop the dashboard before syncing into it`,
      );
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    await dashboard.close();
  });
}
