/**
 * The dashboard HTTP server: the status page at / and its JSON at /api/status (status-routes.ts),
 * Bull Board at /queues (when a queue backend is configured), Prometheus text at /metrics (fleet-wide,
 * computed at scrape time), /healthz. Binds 127.0.0.1 unless told otherwise; with a token, every
 * route but /healthz requires it; without one, Bull Board is read-only. Every request must name
 * this dashboard in `Host`, and state-changing ones must be same-origin JSON (request-guards.ts).
 * `close()` is idempotent.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { openSyncQueue, type SyncQueue } from '../jobs/queue/index.ts';
import { silentLogger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import { requireToken } from './auth.ts';
import { bullBoardRouter } from './bull-board.ts';
import { freshnessOverdue } from './freshness-overdue.ts';
import { checkHealth } from './health.ts';
import { createMetrics, type ScrapeInput } from './metrics.ts';
import { DASHBOARD_DEFAULTS, type DashboardOptions } from './options.ts';
import { readQueueDepth } from './queue-depth.ts';
import { hostGuard, readOnlyQueues, sameOriginWrites } from './request-guards.ts';
import { addStatusRoutes } from './status-routes.ts';
import { openDashboardWarehouse } from './warehouse.ts';
import { readWarehouseStats } from './warehouse-stats.ts';

export interface Dashboard {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const QUEUES_PATH = '/queues';

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const opts = { ...DASHBOARD_DEFAULTS, ...options };
  const logger = opts.logger ?? silentLogger;
  const warehouse = await openDashboardWarehouse({ ...opts, logger });
  const pool = warehouse.text;
  let sq: SyncQueue | undefined;
  if (opts.redisUrl || opts.queueBackend) {
    sq = openSyncQueue({
      redisUrl: opts.redisUrl,
      databaseUrl: opts.databaseUrl,
      queueBackend: opts.queueBackend,
      queuePrefix: opts.queuePrefix,
    });
    sq.redis?.on('error', (err) => logger.debug({ err }, 'dashboard: redis error'));
  }
  const queues = sq ? [sq.queue] : [];
  const metrics = createMetrics();

  const scrape = async (): Promise<string> => {
    const onRedis = sq?.backend === 'redis';
    const input: ScrapeInput = { up: { postgres: false, redis: onRedis ? false : undefined } };
    const [stats, depth] = await Promise.allSettled([
      withTimeout(readWarehouseStats(warehouse.reader), opts.backendTimeoutMs * 5, 'postgres'),
      withTimeout(readQueueDepth(queues), opts.backendTimeoutMs, sq?.backend ?? 'queue'),
    ]);
    if (stats.status === 'fulfilled') {
      input.warehouse = stats.value;
      input.up.postgres = true;
      input.freshnessOverdue = freshnessOverdue(
        stats.value.lastSuccess,
        opts.freshnessTargets,
        Date.now() / 1000,
      );
    } else logger.warn({ err: stats.reason }, 'dashboard: cannot read sync_runs');
    if (depth.status === 'fulfilled') {
      input.queues = depth.value;
      if (onRedis) input.up.redis = true;
    } else logger.warn({ err: depth.reason }, 'dashboard: cannot read queue counts');
    metrics.set(input);
    return metrics.registry.metrics();
  };
  // Scrapes that arrive together share one reading instead of stacking queries.
  let inflight: Promise<string> | undefined;
  const scrapeOnce = () => {
    inflight ??= scrape().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  // Actions need someone to be accountable for them: without a token, the board only reads.
  const readOnly = opts.readOnly || !opts.token;
  const app = express();
  app.disable('x-powered-by');
  app.use(hostGuard({ bound: opts.host, allowed: opts.allowedHosts }));
  if (opts.token) app.use(requireToken(opts.token, ['/healthz']));
  app.use(sameOriginWrites);
  app.get('/healthz', async (_req, res) => {
    const report = await checkHealth(pool, sq, opts.backendTimeoutMs);
    res.status(report.ok ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      const text = await scrapeOnce();
      res.type(metrics.registry.contentType).send(text);
    } catch (err) {
      next(err);
    }
  });
  addStatusRoutes(app, {
    reader: warehouse.reader,
    queue: () => (sq?.connected() ? sq.queue : undefined),
    queuesPath: sq ? QUEUES_PATH : undefined,
    freshness: opts.freshnessTargets,
    streams: opts.streams,
    timeoutMs: opts.backendTimeoutMs * 5,
    logger,
  });
  if (sq) app.use(QUEUES_PATH, readOnlyQueues(readOnly), bullBoardRouter(queues, QUEUES_PATH, readOnly));

  const server = app.listen(opts.port, opts.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    await warehouse.close();
    if (sq) await closeQueue(sq);
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | undefined;
  const closeAll = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (sq) await closeQueue(sq);
    await warehouse.close();
  };
  return { url: `http://${host}:${port}`, port, close: () => (closing ??= closeAll()) };
}

/**
 * Closing a BullMQ queue waits for its connection, forever if the backend is down; a dashboard
 * must still stop, so the close is bounded (an unconnected Redis client is dropped at once).
 */
async function closeQueue(sq: SyncQueue): Promise<void> {
  await withTimeout(sq.close(), 3000, sq.backend).catch(() => sq.redis?.disconnect());
}
