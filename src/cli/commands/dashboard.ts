/** `puffle-sync dashboard` — Bull Board, Prometheus /metrics and /healthz for the whole fleet. */
import type { Command } from 'commander';
import { isLoopbackHost } from '../../config/config.ts';
import { ConfigError } from '../../config/config-error.ts';
import { startDashboard } from '../../dashboard/index.ts';
import { createLogger } from '../../log.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { onShutdownSignal } from '../shutdown.ts';

export const DASHBOARD_TOKEN_ENV = 'PUFFLE_DASHBOARD_TOKEN';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('dashboard')
      .description(
        'Serve Bull Board (/queues), Prometheus /metrics and /healthz for every worker sharing DATABASE_URL and REDIS_URL',
      )
      .option('--port <port>', 'port to listen on (0 = any free port)', '3000')
      .option(
        '--host <address>',
        `address to bind; anything but loopback exposes the dashboard, so set ${DASHBOARD_TOKEN_ENV}`,
        '127.0.0.1',
      )
      .option('--read-only', 'Bull Board without retry/promote/clean/remove actions')
      .addHelpText(
        'after',
        `\nSet ${DASHBOARD_TOKEN_ENV} to require a token on every route but /healthz:\n` +
          '  Authorization: Bearer <token>, or basic auth with the token as password (any user).\n',
      ),
  ).action(async (opts) => {
    const config = configFromOptions(opts);
    if (!config.databaseUrl)
      throw new ConfigError(
        'DATABASE_URL is not set: the dashboard reads sync_runs from the Postgres your workers load into (the embedded database is single-process)',
      );
    const port = parsePort(opts.port);
    const token = process.env[DASHBOARD_TOKEN_ENV]?.trim() || undefined;
    const logger = createLogger({ interactive: Boolean(process.stderr.isTTY) });
    if (!token && !isLoopbackHost(opts.host))
      logger.warn(
        `dashboard bound to ${opts.host} without ${DASHBOARD_TOKEN_ENV}: anyone who can reach it can use it`,
      );
    if (!config.redisUrl)
      logger.warn('REDIS_URL is not set: no queues to show, /metrics reads Postgres only');
    const dashboard = await startDashboard({
      databaseUrl: config.databaseUrl,
      redisUrl: config.redisUrl,
      schema: config.schema,
      queuePrefix: config.queuePrefix,
      host: opts.host,
      port,
      token,
      readOnly: Boolean(opts.readOnly),
      logger,
    });
    process.stdout.write(`dashboard listening on ${dashboard.url} (Bull Board at ${dashboard.url}/queues)\n`);
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    await dashboard.close();
  });
}
