/**
 * Puffle's webhook events (Svix envelope `{type, timestamp, data}`) and what each asks of the
 * sync. The payload is a trigger only: it says which stream to re-read and from when; the row
 * itself always comes from the API, in the shape a regular sync stores.
 *
 * - `signal.detected` (the webhooks page) / `signal.created` (the background-jobs page; the docs
 *   disagree, both are accepted): `data.detected_at` bounds the signals walk from below.
 * - `research.complete` / `research.failed`: re-read research people; the row must show the
 *   event's status to count as landed.
 * Any other type is acknowledged and ignored.
 */
import { z } from 'zod';
import type { TargetedStream } from '../jobs/targeted-sync.ts';
import type { NewWebhookEvent } from '../load/index.ts';

const TARGETS: Record<string, { stream: TargetedStream; expectStatus?: string }> = {
  'signal.detected': { stream: 'signals' },
  'signal.created': { stream: 'signals' },
  'research.complete': { stream: 'research_people', expectStatus: 'complete' },
  'research.failed': { stream: 'research_people', expectStatus: 'failed' },
};

export const KNOWN_EVENT_TYPES = Object.keys(TARGETS);

const envelopeSchema = z.object({
  type: z.string().min(1).max(200),
  timestamp: z.unknown().optional(),
  data: z.record(z.unknown()).nullish(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** The envelope of a verified body, or undefined when it is not one (not JSON, no `type`). */
export function parseEnvelope(body: string): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The webhook_events row for a delivery: the stream it re-syncs (none for unknown types). */
export function describeEvent(
  messageId: string,
  envelope: Envelope,
): NewWebhookEvent & { stream?: TargetedStream } {
  const target = TARGETS[envelope.type];
  const data = envelope.data ?? {};
  const id = data.id;
  return {
    messageId,
    type: envelope.type,
    stream: target?.stream,
    objectId: target && (typeof id === 'string' || typeof id === 'number') ? String(id) : undefined,
    expectStatus: target?.expectStatus,
    detectedAt:
      target?.stream === 'signals' ? isoOrUndefined(data.detected_at ?? data.created_at) : undefined,
    eventAt: isoOrUndefined(envelope.timestamp),
  };
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
