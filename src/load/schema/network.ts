/** LinkedIn network connections (LEGACY surface) and the opt-in detail of each. */
import { date, integer, jsonb, type PgSchema, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

export const networkTables = (s: PgSchema) => ({
  network_connections: s.table(
    'network_connections',
    {
      id: text().primaryKey(),
      user_id: text(),
      first_name: text(),
      last_name: text(),
      email: text(),
      company: text(),
      position: text(),
      connected_on: date({ mode: 'string' }),
      linkedin_url: text(),
      enriched_at: ts(),
      /** Computed by Puffle on every request: a change re-walks the connection's detail. */
      message_count: integer(),
      ...lineage(),
    },
    (t) => [idx('network_connections', t.connected_on)],
  ),
  network_connection_details: s.table('network_connection_details', {
    connection_id: text().primaryKey(),
    experience: jsonb(),
    education: jsonb(),
    skills: jsonb(),
    certifications: jsonb(),
    languages: jsonb(),
    projects: jsonb(),
    volunteering: jsonb(),
    publications: jsonb(),
    awards: jsonb(),
    courses: jsonb(),
    messages: jsonb(),
    ...lineage(),
  }),
});
