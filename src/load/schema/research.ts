/** Deep-research people (partner surface) and their reports. */
import { integer, jsonb, type PgSchema, text } from 'drizzle-orm/pg-core';
import { lineage, ts } from './column-sets.ts';

export const researchTables = (s: PgSchema) => ({
  research_people: s.table('research_people', {
    id: text().primaryKey(),
    user_id: text(),
    first_name: text(),
    last_name: text(),
    linkedin_url: text(),
    role: text(),
    company: text(),
    company_domain: text(),
    photo_url: text(),
    status: text(),
    last_enriched_at: ts(),
    created_at: ts(),
    updated_at: ts(),
    ...lineage(),
  }),
  /** The report (LEGACY fields) with `person`, `status` and `change_summary` of the response beside it. */
  research_reports: s.table('research_reports', {
    person_id: text().primaryKey(),
    id: text(),
    version: integer(),
    status: text(),
    content: jsonb(),
    change_summary: jsonb(),
    person: jsonb(),
    generated_at: ts(),
    ...lineage(),
  }),
});
