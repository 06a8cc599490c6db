/** Enrichment kinds, followed runs and their items. */
import { boolean, integer, jsonb, type PgSchema, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

/** `timing.*` of enrichment runs and items. */
const timingColumns = () => ({
  started_at: ts(),
  completed_at: ts(),
  created_at: ts(),
  updated_at: ts(),
});

export const enrichmentTables = (s: PgSchema) => ({
  enrichments: s.table('enrichments', {
    id: text().primaryKey(),
    slug: text(),
    name: text(),
    description: text(),
    subject: text(),
    version: text(),
    enabled: boolean(),
    visibility: text(),
    input_schema: jsonb(),
    output_schema: jsonb(),
    default_output: jsonb(),
    default_output_attribute_key: text(),
    output_override_policy: text(),
    cost_model: jsonb(),
    tool_binding: jsonb(),
    ...lineage(),
  }),
  enrichment_runs: s.table(
    'enrichment_runs',
    {
      id: text().primaryKey(),
      status: text(),
      mode: text(),
      enrichment_id: text(),
      enrichment_slug: text(),
      list_id: text(),
      enrichment: jsonb(),
      scope: jsonb(),
      output: jsonb(),
      cost: jsonb(),
      trigger: jsonb(),
      error: jsonb(),
      cancelled_at: ts(),
      ...timingColumns(),
      ...lineage(),
    },
    (t) => [idx('enrichment_runs', t.status)],
  ),
  enrichment_items: s.table(
    'enrichment_items',
    {
      id: text().primaryKey(),
      run_id: text().notNull(),
      lead_id: text(),
      list_id: text(),
      membership_id: text(),
      status: text(),
      result: jsonb(),
      skipped_reason: text(),
      error: jsonb(),
      attempts: integer(),
      metadata: jsonb(),
      ...timingColumns(),
      ...lineage(),
    },
    (t) => [idx('enrichment_items', t.run_id), idx('enrichment_items', t.lead_id)],
  ),
});
