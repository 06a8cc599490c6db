/**
 * BullMQ priorities (lower runs first). Coordination jobs (run, stream) are tiny and unblock
 * everything else, so they go first; partition jobs follow their stream's catalog priority
 * (campaigns and signals before list_leads and thread_messages); backfill jobs come after all
 * regular work so a long history reload never starves the scheduled sync.
 */
import type { StreamDef } from '../../extract/streams.ts';

export const COORDINATION_PRIORITY = 1;

export function partitionPriority(def: StreamDef, backfill: boolean): number {
  return (backfill ? 100 : 10) + def.priority;
}
