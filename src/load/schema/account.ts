/** The workspace account behind the API key. */
import { boolean, jsonb, type PgSchema, text } from 'drizzle-orm/pg-core';
import { lineage } from './column-sets.ts';

export const accountTables = (s: PgSchema) => ({
  account: s.table('account', {
    id: text().primaryKey(),
    email: text(),
    full_name: text(),
    first_name: text(),
    last_name: text(),
    profile: jsonb(),
    can_manage_auth: boolean(),
    ...lineage(),
  }),
});
