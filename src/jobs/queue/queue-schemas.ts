/**
 * On Postgres, `PUFFLE_QUEUE_PREFIX` names the two schemas of a deployment's queue, as it
 * prefixes every key on Redis: `<prefix>_bullmq` (BullMQ's own tables, migrated by BullMQ) and
 * `<prefix>_coordination` (puffle-sync's request budget and run flags). Neither is the warehouse
 * schema, so the warehouse's drizzle migrations never see them.
 */
export interface QueueSchemas {
  bullmq: string;
  coordination: string;
}

export function queueSchemas(prefix: string): QueueSchemas {
  // A prefix allows `.`, `:` and `-`; an unquoted-safe identifier is lower-case a-z, 0-9 and _.
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^([0-9])/, '_$1')
    .slice(0, 48);
  return { bullmq: `${base}_bullmq`, coordination: `${base}_coordination` };
}
