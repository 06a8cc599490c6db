/** Sending identities: senders (LinkedIn and email), inboxes, email domains. */
import { boolean, integer, jsonb, type PgSchema, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

/** Senders, LinkedIn accounts and email inboxes share one row shape. */
const senderColumns = () => ({
  id: text().primaryKey(),
  user_id: text(),
  type: text(),
  display_name: text(),
  status: text(),
  provider_account_id: text(),
  profile_url: text(),
  is_premium: boolean(),
  has_sales_navigator: boolean(),
  weekly_connection_limit: integer(),
  weekly_message_limit: integer(),
  daily_limit: integer(),
  email_address: text(),
  domain_id: text(),
  agentmail_inbox_id: text(),
  instantly_account_id: text(),
  instantly_tag_id: text(),
  instantly_warmup_tag_id: text(),
  warmup_status: text(),
  first_name: text(),
  last_name: text(),
  signature: text(),
  email_domains: jsonb(),
  created_at: ts(),
  updated_at: ts(),
});

export const senderTables = (s: PgSchema) => ({
  senders: s.table('senders', { ...senderColumns(), ...lineage() }),
  email_accounts: s.table('email_accounts', { ...senderColumns(), ...lineage() }, (t) => [
    idx('email_accounts', t.domain_id),
  ]),
  email_domains: s.table('email_domains', {
    id: text().primaryKey(),
    user_id: text(),
    domain: text(),
    agentmail_domain_id: text(),
    status: text(),
    dns_records: jsonb(),
    verified_at: ts(),
    created_at: ts(),
    updated_at: ts(),
    ...lineage(),
  }),
});
