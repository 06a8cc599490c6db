/**
 * `puffle-sync webhooks` as a whole: the receiver plus what its mode needs. With a queue backend it
 * only records events and queues targeted syncs for the workers (no API key needed here);
 * without, it runs them itself on its own client and request budget.
 */
import type { Config } from '../config/config.ts';
import { ConfigError } from '../config/config-error.ts';
import { openSyncQueue } from '../jobs/queue/index.ts';
import { openConfiguredDatabase, openRuntime } from '../jobs/runtime.ts';
import { migrate } from '../load/index.ts';
import type { Logger } from '../log.ts';
import { inlineDispatcher, queueDispatcher, type SyncDispatcher } from './dispatch.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receiver.ts';

/** A burst of events within this window makes one targeted sync per stream. */
export const COALESCE_MS = 500;

export interface WebhookService {
  receiver: WebhookReceiver;
  mode: SyncDispatcher['mode'];
  close(): Promise<void>;
}

export async function startWebhookService(
  config: Config,
  logger: Logger,
  listen: { host?: string; port?: number; path?: string },
): Promise<WebhookService> {
  if (config.webhookSecrets.length === 0)
    throw new ConfigError(
      'PUFFLE_WEBHOOK_SECRET is not set: copy the signing secret (whsec_…) of your endpoint from the Svix portal (puffle-sync webhooks --portal)',
    );
  if (!config.queueBackend && !config.apiKey)
    throw new ConfigError(
      'PUFFLE_API_KEY is not set: without a queue (REDIS_URL or PUFFLE_QUEUE_BACKEND=postgres) the receiver runs the targeted syncs itself',
    );
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  };
  try {
    let dispatcher: SyncDispatcher;
    let db: Awaited<ReturnType<typeof openConfiguredDatabase>>;
    if (config.queueBackend) {
      db = await openConfiguredDatabase(config, logger);
      closers.push(() => db.close());
      await migrate(db);
      const sq = openSyncQueue(config);
      closers.push(() => sq.close());
      dispatcher = queueDispatcher({ queue: sq.queue, logger, coalesceMs: COALESCE_MS });
    } else {
      const runtime = await openRuntime(config, logger, { apiKey: config.apiKey! });
      closers.push(() => runtime.close());
      db = runtime.db;
      dispatcher = inlineDispatcher({
        db,
        client: runtime.client,
        locks: runtime.locks,
        logger,
        lookbackMs: config.signalsLookbackMs,
        coalesceMs: COALESCE_MS,
      });
    }
    const receiver = await startWebhookReceiver({
      db,
      secrets: config.webhookSecrets,
      dispatcher,
      logger,
      ...listen,
    });
    closers.push(() => receiver.close());
    let closing: Promise<void> | undefined;
    return { receiver, mode: dispatcher.mode, close: () => (closing ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
