/**
 * src/webhooks — near-real-time: Puffle's Svix webhooks trigger targeted syncs within seconds.
 *
 * ```ts
 * startWebhookService(config, logger, { host?, port?, path? }): Promise<WebhookService>
 *   // the receiver + inline syncs (no REDIS_URL) or queued `webhook` jobs (REDIS_URL)
 * startWebhookReceiver({ db, secrets, dispatcher, logger, host?, port?, path? }): Promise<WebhookReceiver>
 * inlineDispatcher({ db, client, locks, logger, lookbackMs, coalesceMs }) / queueDispatcher({ queue, logger, coalesceMs })
 * createVerifier(secrets).verify(body, headers): messageId | undefined
 * ```
 * The targeted sync itself is src/jobs/targeted-sync.ts; the dedupe record is src/load/webhook-events.ts.
 */
export { inlineDispatcher, queueDispatcher, type SyncDispatcher } from './dispatch.ts';
export { describeEvent, KNOWN_EVENT_TYPES, parseEnvelope } from './events.ts';
export { startWebhookReceiver, WEBHOOK_DEFAULTS, type WebhookReceiver } from './receiver.ts';
export { COALESCE_MS, startWebhookService, type WebhookService } from './service.ts';
export { createVerifier, type Verifier } from './verify.ts';
