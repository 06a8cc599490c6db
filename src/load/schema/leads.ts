/** Leads, lists and their memberships, lead searches and their results. */
import { integer, jsonb, type PgSchema, primaryKey, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

/** The NEW Lead object, shared by `leads` and `list_leads`. */
const leadColumns = () => ({
  type: text(),
  full_name: text(),
  name: jsonb(),
  title: text(),
  company_name: text(),
  company_domain: text(),
  company: jsonb(),
  location: jsonb(),
  lists: jsonb(),
  sources: jsonb(),
  socials: jsonb(),
  contacts: jsonb(),
  attributes: jsonb(),
  created_at: ts(),
  updated_at: ts(),
});

export const leadTables = (s: PgSchema) => ({
  leads: s.table('leads', { id: text().primaryKey(), ...leadColumns(), ...lineage() }, (t) => [
    idx('leads', t.created_at),
    idx('leads', t.company_domain),
  ]),
  lists: s.table(
    'lists',
    {
      id: text().primaryKey(),
      user_id: text(),
      name: text(),
      description: text(),
      lead_count: integer(),
      person_count: integer(),
      company_count: integer(),
      row_count: integer(),
      enrichment_status: text(),
      active_search_task_id: text(),
      active_search_id: text(),
      search_filters: jsonb(),
      created_at: ts(),
      updated_at: ts(),
      ...lineage(),
    },
    (t) => [idx('lists', t.created_at)],
  ),
  // A lead can sit in many lists, so a membership is keyed by (list_id, id).
  list_leads: s.table(
    'list_leads',
    { list_id: text().notNull(), id: text().notNull(), ...leadColumns(), ...lineage() },
    (t) => [
      primaryKey({ columns: [t.list_id, t.id] }),
      idx('list_leads', t.id),
      idx('list_leads', t.created_at),
    ],
  ),
  lead_search_tasks: s.table(
    'lead_search_tasks',
    {
      id: text().primaryKey(),
      type: text(),
      status: text(),
      status_url: text(),
      result_list_id: text(),
      list_id: text(),
      prompt: text(),
      title: text(),
      filters: jsonb(),
      result_count: integer(),
      error_message: text(),
      created_at: ts(),
      completed_at: ts(),
      ...lineage(),
    },
    (t) => [idx('lead_search_tasks', t.created_at)],
  ),
  // Undocumented record shape: keys only, everything else stays in `raw`.
  lead_search_results: s.table(
    'lead_search_results',
    { task_id: text().notNull(), id: text().notNull(), ...lineage() },
    (t) => [primaryKey({ columns: [t.task_id, t.id] })],
  ),
  // issue 15: the list agent's chat transcript
  list_messages: s.table(
    'list_messages',
    {
      id: text().primaryKey(),
      list_id: text().notNull(),
      role: text(),
      content: text(),
      tool_calls: jsonb(),
      tool_result: jsonb(),
      created_at: ts(),
      ...lineage(),
    },
    (t) => [idx('list_messages', t.list_id), idx('list_messages', t.created_at)],
  ),
});
