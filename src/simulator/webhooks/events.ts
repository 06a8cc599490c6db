/**
 * Which data changes fire which Puffle webhook event, and its payload (docs/puffle-api.md):
 * a new signal → `signal.detected` `{id, signal_type_label, headline, score, source, detected_at}`;
 * a research person reaching `complete` → `research.complete`
 * `{id, first_name, last_name, company, icp_score, report_url}`, reaching `failed` →
 * `research.failed` (no example payload documented: the same identifying fields).
 */
import type { Rec } from '../data/collection.ts';
import type { StreamName } from '../types.ts';

export interface DataChange {
  op: 'insert' | 'update';
  stream: StreamName;
  record: Rec;
  /** For updates: the record before. */
  before?: Rec;
}

export interface WebhookEvent {
  type: string;
  data: Record<string, unknown>;
}

export function eventForChange(change: DataChange): WebhookEvent | undefined {
  const r = change.record;
  if (change.stream === 'signals' && change.op === 'insert') {
    return {
      type: 'signal.detected',
      data: {
        id: r.id,
        signal_type_label: r.signalTypeLabel ?? null,
        headline: r.title ?? null,
        score: r.score ?? null,
        source: r.sourceId ?? null,
        detected_at: r.createdAt,
      },
    };
  }
  if (change.stream === 'research_people' && change.before?.status !== r.status) {
    if (r.status !== 'complete' && r.status !== 'failed') return undefined;
    const who = { id: r.id, first_name: r.first_name, last_name: r.last_name, company: r.company };
    return r.status === 'complete'
      ? {
          type: 'research.complete',
          data: { ...who, icp_score: null, report_url: `https://app.puffle.ai/api/v1/deep-research/${r.id}` },
        }
      : { type: 'research.failed', data: who };
  }
  return undefined;
}
