/**
 * The dashboard's figures of sync_state: walks per stream, complete or not, and the newest
 * completion. (A read of sync_state: it belongs with that table's other statements.)
 */
import { sql } from 'drizzle-orm';
import type { DatabaseReader } from './reader.ts';

export interface WalkTotals {
  stream: string;
  complete: boolean;
  count: number;
  /** Newest completed_at of these walks, epoch seconds; null when none completed. */
  at: number | null;
}

export function readWalkTotals(reader: DatabaseReader): Promise<WalkTotals[]> {
  return reader.query<WalkTotals>(sql`
    select stream, complete, count(*)::int as count, extract(epoch from max(completed_at))::float8 as at
    from ${reader.tables.sync_state} group by stream, complete`);
}
