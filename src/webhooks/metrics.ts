/**
 * The receiver's Prometheus metrics. Deliveries are counted as they arrive, by event type and
 * outcome; the delays are read from webhook_events at scrape time (rows synced since the last
 * scrape), so they include syncs that queue workers committed, not only this process's own.
 * Label values are fixed words and known event types (any other type is `other`), never payload text.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Database, pendingWebhookEvents, syncedWebhookEventsSince } from '../load/index.ts';
import { KNOWN_EVENT_TYPES } from './events.ts';

export type DeliveryOutcome = 'accepted' | 'duplicate' | 'ignored' | 'rejected' | 'invalid';

export interface WebhookMetrics {
  registry: Registry;
  /** `type` is undefined when the delivery could not be trusted or read (rejected, invalid). */
  delivery(type: string | undefined, outcome: DeliveryOutcome): void;
  /** Reads what the database learned since the last call; call before rendering. */
  refresh(): Promise<void>;
}

const P = 'puffle_sync_webhook_';
const DELAY_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300, 1800, 7200];

export function createWebhookMetrics(db: Database, startedAt = new Date()): WebhookMetrics {
  const registry = new Registry();
  const events = new Counter({
    name: `${P}events_total`,
    help: 'Webhook deliveries received, by event type and outcome (accepted, duplicate, ignored, rejected: bad signature, invalid: not an event).',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const delay = (name: string, from: string) =>
    new Histogram({
      name: `${P}${name}`,
      help: `Seconds from ${from} to its row committed in the warehouse, by stream.`,
      labelNames: ['stream'],
      buckets: DELAY_BUCKETS,
      registers: [registry],
    });
  const eventToRow = delay('event_to_row_seconds', 'the event (its envelope timestamp)');
  const deliveryToRow = delay('delivery_to_row_seconds', 'the accepted delivery');
  const pending = new Gauge({
    name: `${P}pending_events`,
    help: 'Accepted events whose targeted sync has not landed their row yet, by stream.',
    labelNames: ['stream'],
    registers: [registry],
  });
  let watermark = startedAt.toISOString();
  return {
    registry,
    delivery(type, outcome) {
      const label = type === undefined ? 'unknown' : KNOWN_EVENT_TYPES.includes(type) ? type : 'other';
      events.inc({ type: label, outcome });
    },
    async refresh() {
      const [synced, waiting] = await Promise.all([
        syncedWebhookEventsSince(db, watermark),
        pendingWebhookEvents(db),
      ]);
      for (const e of synced) {
        eventToRow.observe({ stream: e.stream }, Math.max(0, e.eventToRowSeconds));
        deliveryToRow.observe({ stream: e.stream }, Math.max(0, e.deliveryToRowSeconds));
        watermark = e.syncedAt;
      }
      pending.reset();
      for (const p of waiting) pending.set({ stream: p.stream }, p.pending);
    },
  };
}
