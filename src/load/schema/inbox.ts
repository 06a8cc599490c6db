/** The unified inbox: threads and their messages. */
import { integer, type PgSchema, text } from 'drizzle-orm/pg-core';
import { idx, lineage, ts } from './column-sets.ts';

export const inboxTables = (s: PgSchema) => ({
  threads: s.table(
    'threads',
    {
      id: text().primaryKey(),
      user_id: text(),
      account_id: text(),
      channel: text(),
      status: text(),
      inbox_state: text(),
      external_id: text(),
      participant_name: text(),
      participant_email: text(),
      participant_linkedin_url: text(),
      participant_company: text(),
      last_message_at: ts(),
      last_message_snippet: text(),
      last_message_direction: text(),
      unread_count: integer(),
      created_at: ts(),
      updated_at: ts(),
      ...lineage(),
    },
    (t) => [idx('threads', t.account_id), idx('threads', t.last_message_at), idx('threads', t.created_at)],
  ),
  thread_messages: s.table(
    'thread_messages',
    {
      id: text().primaryKey(),
      thread_id: text().notNull(),
      user_id: text(),
      conversation_id: text(),
      campaign_id: text(),
      direction: text(),
      message_type: text(),
      subject: text(),
      body_text: text(),
      body_html: text(),
      sender_name: text(),
      sender_identifier: text(),
      external_id: text(),
      sent_at: ts(),
      created_at: ts(),
      ...lineage(),
    },
    (t) => [
      idx('thread_messages', t.thread_id),
      idx('thread_messages', t.campaign_id),
      idx('thread_messages', t.sent_at),
    ],
  ),
});
