/**
 * Example queries `demo` runs and prints: the kind of question the warehouse answers, asked of
 * the clean views (live rows only, so no `_deleted_at` filters).
 */
export const DEMO_QUERIES = [
  {
    title: 'Reply rate per campaign',
    sql: `SELECT c.name, count(*) AS prospects,
       round(100.0 * count(*) FILTER (WHERE l.status = 'replied') / count(*), 1) AS reply_rate_pct
FROM puffle_analytics.campaigns c JOIN puffle_analytics.campaign_leads l ON l.campaign_id = c.id
GROUP BY c.name ORDER BY reply_rate_pct DESC LIMIT 5;`,
  },
  {
    title: 'Signals per type per week',
    sql: `SELECT date_trunc('week', created_at)::date AS week, signal_type_label, count(*) AS signals
FROM puffle_analytics.signals GROUP BY 1, 2 ORDER BY 1 DESC, 3 DESC LIMIT 5;`,
  },
  {
    title: 'Unibox messages by channel and direction',
    sql: `SELECT t.channel, m.direction, count(*) AS messages
FROM puffle_analytics.threads t JOIN puffle_analytics.thread_messages m ON m.thread_id = t.id
GROUP BY 1, 2 ORDER BY 1, 2;`,
  },
] as const;
