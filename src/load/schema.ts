/**
 * The only description of the warehouse tables (Drizzle), one file per domain in src/load/schema/.
 * `buildTables(schemaName)` builds every table inside one Postgres schema (PUFFLE_SYNC_SCHEMA);
 * the `puffle` instance is what drizzle-kit reads, through src/load/schema/drizzle-kit.cjs, to
 * generate migrations/ (`npm run db:generate`).
 *
 * Column keys are the SQL snake_case names on purpose: the catalog's primary keys
 * (src/extract/streams.ts) and the generic record → row mapping (row-mapper.ts) use column
 * names, and BI users see the same names. A column reads `record[snake] ?? record[camel]`, or
 * the dotted path in COLUMN_SOURCES. Types: ids text (Puffle ids are not all uuids), timestamps
 * timestamptz, nested or loosely documented values jsonb.
 */
import { type PgTable, pgSchema } from 'drizzle-orm/pg-core';
import type { StreamName } from '../extract/streams.ts';
import { accountTables } from './schema/account.ts';
import { bookkeepingTables } from './schema/bookkeeping.ts';
import { campaignTables } from './schema/campaigns.ts';
import { enrichmentTables } from './schema/enrichment.ts';
import { inboxTables } from './schema/inbox.ts';
import { leadTables } from './schema/leads.ts';
import { researchTables } from './schema/research.ts';
import { senderTables } from './schema/senders.ts';
import { signalTables } from './schema/signals.ts';
import { usageTables } from './schema/usage.ts';

export { LINEAGE_COLUMNS } from './schema/column-sets.ts';

/** Every table, registered once: a stream's table by its domain, then the bookkeeping tables. */
export function buildTables(schemaName: string) {
  const s = pgSchema(schemaName);
  const streams = {
    ...accountTables(s),
    ...campaignTables(s),
    ...inboxTables(s),
    ...leadTables(s),
    ...signalTables(s),
    ...enrichmentTables(s),
    ...senderTables(s),
    ...researchTables(s),
    ...usageTables(s),
  } satisfies Record<StreamName, PgTable>;
  const bookkeeping = bookkeepingTables(s);
  return { ...streams, ...bookkeeping, streams, bookkeeping, pgSchema: s };
}

export type Tables = ReturnType<typeof buildTables>;

/**
 * Where a column reads its value when not `record[column] ?? record[camelCase(column)]`:
 * a dotted path into the record (the API nests it).
 */
export const COLUMN_SOURCES: Partial<Record<StreamName, Record<string, string>>> = {
  account: { first_name: 'profile.firstName', last_name: 'profile.lastName' },
  leads: { full_name: 'name.full', company_name: 'company.name', company_domain: 'company.domain' },
  list_leads: { full_name: 'name.full', company_name: 'company.name', company_domain: 'company.domain' },
  enrichment_runs: {
    enrichment_id: 'enrichment.id',
    enrichment_slug: 'enrichment.slug',
    list_id: 'scope.listId',
    started_at: 'timing.startedAt',
    completed_at: 'timing.completedAt',
    cancelled_at: 'timing.cancelledAt',
    created_at: 'timing.createdAt',
    updated_at: 'timing.updatedAt',
  },
  enrichment_items: {
    started_at: 'timing.startedAt',
    completed_at: 'timing.completedAt',
    created_at: 'timing.createdAt',
    updated_at: 'timing.updatedAt',
  },
};

/** The default instance, which drizzle-kit reads (src/load/schema/drizzle-kit.cjs). */
export const puffle = buildTables('puffle');
