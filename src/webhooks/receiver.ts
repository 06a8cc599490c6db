/**
 * The webhook receiver's HTTP server: POST `path` takes Puffle's Svix deliveries, GET /healthz
 * and GET /metrics serve operations (forward only `path` through a reverse proxy).
 *
 * A delivery is answered quickly, before any sync runs (Svix gives up waiting after 15 s):
 * - bad or missing signature → 401, and nothing else happens (no database write, no API call);
 * - authentic but not an event (not JSON, no `type`) → 400;
 * - a message id seen before (a replay, a Svix retry of a delivery we answered) → 200, nothing again;
 * - an unknown event type → 200, recorded and logged, ignored;
 * - a known one → recorded as pending, a targeted sync requested, 200. If the database cannot
 *   record it → 500, so Svix delivers it again later.
 * A sweep every few seconds asks again for events left pending (a sync that failed or did not
 * land its row yet, a receiver that crashed between recording and syncing), and prunes old rows.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import express from 'express';
import { TARGETED_STREAMS } from '../jobs/targeted-sync.ts';
import {
  type Database,
  pendingWebhookEvents,
  pruneWebhookEvents,
  recordWebhookEvent,
} from '../load/index.ts';
import type { Logger } from '../log.ts';
import type { SyncDispatcher } from './dispatch.ts';
import { describeEvent, parseEnvelope } from './events.ts';
import { createWebhookMetrics } from './metrics.ts';
import { createVerifier } from './verify.ts';

export interface WebhookReceiverOptions {
  db: Database;
  /** `whsec_…`: the current secret, plus the previous one while rotating. */
  secrets: readonly string[];
  dispatcher: SyncDispatcher;
  logger: Logger;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 = any free port. @default 8788 */
  port?: number;
  /** @default '/webhooks/puffle' */
  path?: string;
  /** How often events left pending are looked for. @default 2000 */
  sweepMs?: number;
  /** Settled events older than this many days are deleted. @default 30 */
  keepDays?: number;
}

export interface WebhookReceiver {
  /** `http://host:port` with the port actually bound. */
  url: string;
  /** The full delivery URL (`url` + path). */
  endpoint: string;
  /** Stops listening, the sweep and the dispatcher (a sync in flight stops at its next page). Idempotent. */
  close(): Promise<void>;
}

export const WEBHOOK_DEFAULTS = { host: '127.0.0.1', port: 8788, path: '/webhooks/puffle' } as const;
const MAX_BODY = '1mb';
const PRUNE_EVERY_MS = 3_600_000;
const SWEEP_GRACE_MS = 3_000;

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const opts = { ...WEBHOOK_DEFAULTS, sweepMs: 2000, keepDays: 30, ...options };
  const { db, dispatcher, logger } = opts;
  const verifier = createVerifier(opts.secrets);
  const metrics = createWebhookMetrics(db);

  const app = express();
  app.disable('x-powered-by');
  app.post(opts.path, express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const messageId = verifier.verify(body, req.headers);
    if (!messageId) {
      metrics.delivery(undefined, 'rejected');
      logger.warn({ ip: req.ip }, 'webhook delivery with a missing or invalid signature rejected (401)');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    const envelope = parseEnvelope(body.toString('utf8'));
    if (!envelope) {
      metrics.delivery(undefined, 'invalid');
      logger.warn({ messageId }, 'signed webhook delivery is not an event ({type, timestamp, data}); 400');
      res.status(400).json({ error: 'not a webhook event' });
      return;
    }
    const event = describeEvent(messageId, envelope);
    let isNew: boolean;
    try {
      isNew = await recordWebhookEvent(db, event);
    } catch (err) {
      logger.error({ err, messageId }, 'could not record a webhook delivery; answering 500 so Svix retries');
      res.status(500).json({ error: 'could not record the event' });
      return;
    }
    if (!isNew) {
      metrics.delivery(event.type, 'duplicate');
      logger.info({ messageId, type: event.type }, 'webhook delivery seen before; nothing to do');
      res.json({ status: 'duplicate' });
      return;
    }
    if (!event.stream) {
      metrics.delivery(event.type, 'ignored');
      logger.info({ messageId, type: event.type }, 'webhook event type not used by puffle-sync; ignored');
      res.json({ status: 'ignored' });
      return;
    }
    metrics.delivery(event.type, 'accepted');
    logger.info({ messageId, type: event.type, stream: event.stream }, 'webhook event accepted');
    dispatcher.request(event.stream);
    res.json({ status: 'accepted' });
  });
  app.get('/healthz', async (_req, res) => {
    try {
      await db.query(sql`select 1`);
      res.json({ ok: true, mode: dispatcher.mode });
    } catch (err) {
      res.status(503).json({ ok: false, error: (err as Error).message });
    }
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      await metrics.refresh();
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  // Only events due for a while: a fresh one is already in its coalescing window, and asking
  // for it again here would split a burst into more syncs.
  const sweep = async () => {
    for (const p of await pendingWebhookEvents(db))
      if (p.dueInMs <= -SWEEP_GRACE_MS && isTargeted(p.stream)) dispatcher.request(p.stream, { sweep: true });
  };
  const prune = async () => {
    const gone = await pruneWebhookEvents(db, opts.keepDays);
    if (gone > 0) logger.info({ deleted: gone }, 'pruned old webhook_events rows');
  };
  const sweeping = setInterval(() => {
    sweep().catch((err: unknown) => logger.warn({ err }, 'webhook sweep failed'));
  }, opts.sweepMs);
  const pruning = setInterval(() => {
    prune().catch((err: unknown) => logger.warn({ err }, 'webhook_events prune failed'));
  }, PRUNE_EVERY_MS);
  sweeping.unref();
  pruning.unref();
  // Events a previous receiver accepted but did not sync: right away.
  await sweep();
  await prune();

  const server = app.listen(opts.port, opts.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    clearInterval(sweeping);
    clearInterval(pruning);
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    endpoint: `${url}${opts.path}`,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeping);
        clearInterval(pruning);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dispatcher.close();
      })()),
  };
}

const isTargeted = (stream: string): stream is (typeof TARGETED_STREAMS)[number] =>
  (TARGETED_STREAMS as readonly string[]).includes(stream);
