/**
 * `/` (the status page) and `/api/status` (the same report as JSON, as `puffle-sync status --json`
 * prints it). Both are reads: behind the Host check and, when set, the token, like every route.
 * Readings that arrive together share one report instead of stacking queries.
 */
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { FreshnessTargets } from '../config/freshness.ts';
import type { StreamName } from '../extract/streams.ts';
import { collectStatus, type StatusReport } from '../jobs/status/index.ts';
import { type DatabaseReader, sqlStateOf } from '../load/index.ts';
import type { Logger } from '../log.ts';
import { withTimeout } from '../with-timeout.ts';
import { statusPage, unavailablePage } from './page/status-page.ts';

export interface StatusRoutesOptions {
  reader: DatabaseReader;
  /** The queue when Redis is configured and connected right now (a Redis outage must not blank the page). */
  queue: () => Queue | undefined;
  /** Bull Board's path, linked when a queue is configured. */
  queuesPath?: string;
  freshness?: FreshnessTargets;
  /** The configured selection (PUFFLE_SYNC_STREAMS); @default the default streams */
  streams?: readonly StreamName[];
  timeoutMs: number;
  logger: Logger;
}

export function addStatusRoutes(app: Express, opts: StatusRoutesOptions): void {
  let inflight: Promise<StatusReport> | undefined;
  const report = () => {
    inflight ??= withTimeout(
      collectStatus(opts.reader, { queue: opts.queue(), freshness: opts.freshness, streams: opts.streams }),
      opts.timeoutMs,
      'the warehouse',
    ).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  const links = { queues: opts.queuesPath };

  app.get('/api/status', async (_req, res) => {
    noStore(res);
    try {
      res.json(await report());
    } catch (err) {
      const why = unavailable(err, opts.logger);
      res.status(why.status).json({ error: why.message });
    }
  });
  app.get('/', async (_req, res) => {
    noStore(res);
    res.set('Content-Security-Policy', PAGE_CSP);
    try {
      res.type('html').send(statusPage(await report(), links));
    } catch (err) {
      const why = unavailable(err, opts.logger);
      res.status(why.status).type('html').send(unavailablePage(why.message, links));
    }
  });
}

/** No script at all; styles inline; nothing framed, posted or loaded from elsewhere. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function noStore(res: { set(name: string, value: string): unknown }): void {
  res.set('Cache-Control', 'no-store');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'no-referrer');
}

/**
 * One line a person can act on; never the connection string or the driver's text (it may name
 * hosts). Before the first migration there is nothing to show yet, which is an answer (404), not
 * an outage (503).
 */
function unavailable(err: unknown, logger: Logger): { status: number; message: string } {
  const code = sqlStateOf(err);
  if (code === '42P01' || code === '3F000')
    return { status: 404, message: 'no puffle-sync tables yet: run `puffle-sync migrate` or a sync first' };
  logger.warn({ err }, 'dashboard: cannot build the status report');
  if (code === '42501')
    return {
      status: 503,
      message: "the dashboard's database role cannot read the puffle-sync schema (it needs USAGE and SELECT)",
    };
  return { status: 503, message: 'Postgres did not answer; /healthz says more. The page retries by itself.' };
}
