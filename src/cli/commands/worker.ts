/** `puffle-sync worker` — take sync jobs from Redis until SIGTERM/SIGINT; start more to scale out. */

import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { serveHealthz, startSyncWorker } from '../../jobs/queue/index.ts';
import { assertRedisReachable } from '../../jobs/redis-reachable.ts';
import { createLogger } from '../../log.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { EXIT } from '../exit-codes.ts';
import { onShutdownSignal } from '../shutdown.ts';

function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('worker')
      .description('Process queued sync jobs (needs REDIS_URL); run several, on any machines, to go faster')
      .option('--concurrency <n>', 'jobs processed at once by this process', '4')
      .option('--port <port>', 'serve GET /healthz on this port')
      .option(
        '--shutdown-timeout <seconds>',
        'on SIGTERM/SIGINT, longest wait for jobs to stop at a page boundary',
        '30',
      )
      .option(
        '--lock-duration <ms>',
        "job lock; a dead worker's jobs are taken over after it expires",
        '30000',
      )
      .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers', '30000'),
  ).action(async (opts) => {
    const config = configFromOptions(opts, { requireKey: true });
    if (config.redisUrl) await assertRedisReachable(config.redisUrl);
    const concurrency = wholeNumber('--concurrency', opts.concurrency, 1);
    const timeoutMs = wholeNumber('--shutdown-timeout', opts.shutdownTimeout, 0) * 1000;
    const port = opts.port === undefined ? undefined : wholeNumber('--port', opts.port, 0);
    const logger = createLogger();
    const worker = await startSyncWorker({
      config,
      logger,
      concurrency,
      lockDurationMs: wholeNumber('--lock-duration', opts.lockDuration, 1000),
      stalledIntervalMs: wholeNumber('--stalled-interval', opts.stalledInterval, 500),
    });
    const health =
      port === undefined
        ? undefined
        : await serveHealthz(port, () => ({
            ok: worker.isRunning(),
            worker: worker.id,
            processed: worker.processed(),
          }));
    if (health) logger.info({ port: health.port }, 'serving /healthz');
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    // Whatever happens while closing, the process ends within the bound (plus a little for Postgres).
    setTimeout(() => process.exit(EXIT.failure), timeoutMs + 5000).unref();
    const graceful = await worker.close({ timeoutMs });
    await health?.close();
    process.exitCode = graceful ? EXIT.ok : EXIT.failure;
  });
}
