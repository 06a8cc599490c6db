/** `puffle-sync worker` — take sync jobs from Redis until SIGTERM/SIGINT; start more to scale out. */

import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { host, integer } from '../../config/kinds.ts';
import { type SyncWorker, serveHealthz, startSyncWorker } from '../../jobs/queue/index.ts';
import { assertQueueReachable } from '../../jobs/queue-reachable.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { EXIT } from '../exit-codes.ts';
import { boundedOption } from '../flags.ts';
import { listenOrConfigError } from '../listen-error.ts';
import { onShutdownSignal } from '../shutdown.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('worker')
      .description('Process queued sync jobs (needs REDIS_URL); run several, on any machines, to go faster')
      .addOption(
        boundedOption(
          '--concurrency <n>',
          'jobs processed at once by this process',
          integer({ min: 1, max: 64 }),
          4,
        ),
      )
      .addOption(
        boundedOption(
          '--port <port>',
          'serve GET /healthz (liveness), /readyz (Postgres and queue reachable) and /metrics on this port',
          integer({ min: 0, max: 65_535 }),
        ),
      )
      .addOption(
        boundedOption(
          '--host <address>',
          'address --port listens on; 0.0.0.0 lets other machines (a load balancer, Prometheus) reach it',
          host(),
          '127.0.0.1',
        ),
      )
      .addOption(
        boundedOption(
          '--shutdown-timeout <seconds>',
          'on SIGTERM/SIGINT, longest wait for jobs to stop at a page boundary',
          integer({ min: 0, max: 3600 }),
          30,
        ),
      )
      .addOption(
        boundedOption(
          '--lock-duration <ms>',
          "job lock; a dead worker's jobs are taken over after it expires",
          integer({ min: 1000, max: 600_000 }),
          30_000,
        ),
      )
      .addOption(
        boundedOption(
          '--stalled-interval <ms>',
          'how often to look for jobs of dead workers',
          integer({ min: 500, max: 600_000 }),
          30_000,
        ),
      ),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd, { requireKey: true });
    // PGlite is single-process: workers on it could never share runs or scale out.
    if (!config.databaseUrl)
      throw new ConfigError(
        'worker needs DATABASE_URL: the embedded PGlite database is single-process and cannot be shared by workers (use `puffle-sync sync` without --queue for it)',
      );
    await assertQueueReachable(config);
    const timeoutMs = opts.shutdownTimeout * 1000;
    const logger = createLogger({ level: config.logLevel });
    let worker: SyncWorker | undefined;
    // Listening first: a port in use is a configuration error before any job is taken.
    const health =
      opts.port === undefined
        ? undefined
        : await listenOrConfigError(
            () =>
              serveHealthz(
                opts.port,
                () => ({
                  ok: worker?.isRunning() ?? false,
                  worker: worker?.id,
                  processed: worker?.processed() ?? {},
                }),
                opts.host,
                {
                  readyz: async () => worker?.ready() ?? { ok: false, starting: true },
                  metrics: async () => worker?.metrics() ?? { contentType: 'text/plain', body: '' },
                },
              ),
            { host: opts.host, port: opts.port },
          );
    try {
      worker = await startSyncWorker({
        config,
        logger,
        concurrency: opts.concurrency,
        lockDurationMs: opts.lockDuration,
        stalledIntervalMs: opts.stalledInterval,
      });
    } catch (err) {
      await health?.close();
      throw err;
    }
    // From here /healthz answers 200 (503 while starting and once shutting down).
    if (health) logger.info({ host: opts.host, port: health.port }, 'serving /healthz, /readyz and /metrics');
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    // Whatever happens while closing, the process ends within the bound (plus a little for Postgres).
    setTimeout(() => process.exit(EXIT.failure), timeoutMs + 5000).unref();
    const graceful = await worker.close({ timeoutMs });
    await health?.close();
    process.exitCode = graceful ? EXIT.ok : EXIT.failure;
  });
}
