/**
 * Sender usage and campaign rollups, kept as history: daily snapshots keyed by their UTC date
 * (StreamDef.snapshot) and weekly rows per channel.
 */
import { boolean, date, integer, jsonb, type PgSchema, primaryKey, text } from 'drizzle-orm/pg-core';
import { idx, lineage } from './column-sets.ts';

const day = () => date({ mode: 'string' });

export const usageTables = (s: PgSchema) => ({
  // One row per campaign, sender and UTC day: the day's sends against the daily limit.
  campaign_account_usage: s.table(
    'campaign_account_usage',
    {
      campaign_id: text().notNull(),
      account_id: text().notNull(),
      date: day().notNull(),
      email: text(),
      daily_limit: integer(),
      sent_today: integer(),
      status: text(),
      ...lineage(),
    },
    (t) => [
      primaryKey({ columns: [t.campaign_id, t.account_id, t.date] }),
      idx('campaign_account_usage', t.account_id),
      idx('campaign_account_usage', t.date),
    ],
  ),
  // One row per sender account and UTC day a sync ran: limits and usage as Puffle reported them.
  sender_limits: s.table(
    'sender_limits',
    {
      id: text().notNull(),
      date: day().notNull(),
      type: text(),
      display_name: text(),
      email_address: text(),
      status: text(),
      is_premium: boolean(),
      daily_limit: integer(),
      weekly_connection_limit: integer(),
      weekly_message_limit: integer(),
      limits: jsonb(),
      weekly_stats: jsonb(),
      daily_stats: jsonb(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.id, t.date] }), idx('sender_limits', t.date)],
  ),
  // `weekly[]` rows exploded per channel: the LinkedIn and email counters of one week.
  campaign_weekly_stats: s.table(
    'campaign_weekly_stats',
    {
      week_start: day().notNull(),
      channel: text().notNull(),
      connection_sent: integer(),
      connected: integer(),
      message_sent: integer(),
      sent: integer(),
      replied: integer(),
      bounced: integer(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.week_start, t.channel] })],
  ),
});
