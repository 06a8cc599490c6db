/** Deep-research people (partner surface). */
import { type PgSchema, text } from 'drizzle-orm/pg-core';
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
});
