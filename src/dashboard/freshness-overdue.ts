/**
 * Seconds each stream is past its freshness target (negative: still within it by that much), for
 * the `puffle_sync_freshness_overdue_seconds` gauge. A stream that never succeeded has no value.
 */
import { type FreshnessTargets, freshnessTargetOf } from '../config/freshness.ts';
import { STREAM_NAMES } from '../extract/streams.ts';

export function freshnessOverdue(
  lastSuccess: Readonly<Record<string, number>>,
  targets: FreshnessTargets | undefined,
  nowSeconds: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stream of STREAM_NAMES) {
    const at = lastSuccess[stream];
    if (at !== undefined) out[stream] = Math.round(nowSeconds - at - freshnessTargetOf(targets, stream));
  }
  return out;
}
