/**
 * Which partitions of a stream to walk in this run. Root streams have one (''), fan-out streams
 * one per parameter value, child streams one per qualifying parent row (read from the parent's
 * table, which the runner has just refreshed), enrichment runs one per configured or known run.
 */
import type { StreamDef } from '../extract/streams.ts';
import type { Database } from '../load/index.ts';
import { listPartitions } from '../load/index.ts';

export async function partitionsFor(
  db: Database,
  def: StreamDef,
  opts: { enrichmentRunIds: readonly string[]; fullRefresh: boolean },
): Promise<string[]> {
  if (def.fanOut) return [...def.fanOut.values];
  if (def.configuredIds) {
    const known = await listPartitions(db, def, { fullRefresh: opts.fullRefresh });
    return [...new Set([...opts.enrichmentRunIds, ...known])];
  }
  if (def.parent) return listPartitions(db, def, { fullRefresh: opts.fullRefresh });
  return [''];
}
