/**
 * A partition that cannot be walked because its id cannot be sent (`..`, `/`, `%`, control
 * characters: see extract/partition-id.ts) is recorded like a rejected record, never dropped
 * silently: one `rejected_records` row per run for (stream, partition), holding the parent's
 * record when the warehouse has it, and the stream's `rejected` counters moved with it.
 */
import { sql } from 'drizzle-orm';
import { envOfSetting } from '../config/catalog-settings.ts';
import type { StreamDef } from '../extract/streams.ts';
import { columnRef, streamTable } from './columns.ts';
import type { Database } from './database.ts';
import { countRejectedPartition } from './sync-runs/index.ts';

export interface RejectedPartition {
  runId: string;
  stream: StreamDef;
  /** As stored and shown: control characters already escaped (printableId). */
  partition: string;
  /** The raw id, to find the parent row. */
  rawPartition: string;
  reason: string;
}

/** Returns whether a row was written (false when this run already recorded it). */
export async function rejectPartition(database: Database, r: RejectedPartition): Promise<boolean> {
  const { tables } = database;
  const parent = r.stream.parent;
  const parentRaw = parent
    ? sql`(select p.raw from ${streamTable(tables, parent.stream)} as p
        where ${columnRef('p', streamTable(tables, parent.stream), parent.field)}::text = ${r.rawPartition} limit 1)`
    : sql`null::jsonb`;
  const from = parent ? parent.stream : envOfSetting(r.stream.configuredIds?.setting ?? '');
  return database.db.transaction(async (tx) => {
    const inserted = (await tx.execute(sql`
      insert into ${tables.rejected_records} (run_id, stream, partition, reason, raw)
      select ${r.runId}, ${r.stream.name}, ${r.partition}, ${r.reason},
        jsonb_build_object('parent', ${from}::text, 'id', ${r.partition}::text, 'record', ${parentRaw})
      where not exists (select 1 from ${tables.rejected_records}
        where run_id = ${r.runId} and stream = ${r.stream.name} and partition = ${r.partition})
      returning 1`)) as unknown as { rows: unknown[] };
    if (inserted.rows.length === 0) return false;
    await countRejectedPartition(tx, tables, r.runId, r.stream.name);
    return true;
  });
}
