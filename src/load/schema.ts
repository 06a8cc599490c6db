/**
 * The only description of the warehouse tables (Drizzle). `buildTables(schemaName)` builds every
 * table inside one Postgres schema (PUFFLE_SYNC_SCHEMA); the `puffle` instance exported at the
 * bottom is what drizzle.config.ts reads to generate migrations/ (`npm run db:generate`).
 *
 * Column keys are the SQL snake_case names on purpose: the catalog's primary keys
 * (src/extract/streams.ts) and the generic record → row mapping (row-mapper.ts) use column
 * names, and BI users see the same names. A column reads `record[snake] ?? record[camel]`, or
 * the dotted path in COLUMN_SOURCES. Types: ids text (Puffle ids are not all uuids), timestamps
 * timestamptz, nested or loosely documented values jsonb.
 */
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  type PgColumn,
  type PgTable,
  pgSchema,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { StreamName } from '../extract/streams.ts';

const ts = () => timestamp({ withTimezone: true, mode: 'string' });
const counter = () => integer().notNull().default(0);

/** Lineage columns every stream table ends with. */
const lineage = () => ({
  raw: jsonb().notNull(),
  _synced_at: ts().notNull(),
  _run_id: text(),
  _deleted_at: ts(),
  /** Values dropped or repaired on the way in: `[{field, reason, original}]`, `[]` when none (value-changes.ts). */
  _changes: jsonb().notNull().default([]),
});

export const LINEAGE_COLUMNS = ['raw', '_synced_at', '_run_id', '_deleted_at', '_changes'] as const;

const idx = (table: string, column: PgColumn) => index(`${table}_${column.name}_idx`).on(column);

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

/** `timing.*` of enrichment runs and items. */
const timingColumns = () => ({
  started_at: ts(),
  completed_at: ts(),
  created_at: ts(),
  updated_at: ts(),
});

export function buildTables(schemaName: string) {
  const s = pgSchema(schemaName);

  const account = s.table('account', {
    id: text().primaryKey(),
    email: text(),
    full_name: text(),
    first_name: text(),
    last_name: text(),
    profile: jsonb(),
    can_manage_auth: boolean(),
    ...lineage(),
  });

  const campaigns = s.table(
    'campaigns',
    {
      id: text().primaryKey(),
      user_id: text(),
      type: text(),
      name: text(),
      status: text(),
      daily_limit: integer(),
      stop_on_reply: boolean(),
      open_tracking: boolean(),
      signature: text(),
      skip_other_campaigns: boolean(),
      operating_hours: jsonb(),
      stats: jsonb(),
      sender_accounts: jsonb(),
      node_count: integer(),
      created_at: ts(),
      updated_at: ts(),
      ...lineage(),
    },
    (t) => [idx('campaigns', t.created_at), idx('campaigns', t.status)],
  );

  const campaign_sequence_nodes = s.table(
    'campaign_sequence_nodes',
    {
      id: text().primaryKey(),
      campaign_id: text().notNull(),
      position: integer(),
      type: text(),
      subject: text(),
      body: text(),
      body_html: text(),
      signature: text(),
      from_name: text(),
      reply_to: text(),
      cc: jsonb(),
      bcc: jsonb(),
      attachments: jsonb(),
      include_message: boolean(),
      is_reply: boolean(),
      delay_days: integer(),
      delay_hours: integer(),
      delay_minutes: integer(),
      ai_node: jsonb(),
      ...lineage(),
    },
    (t) => [idx('campaign_sequence_nodes', t.campaign_id)],
  );

  const campaign_leads = s.table(
    'campaign_leads',
    {
      id: text().primaryKey(),
      campaign_id: text().notNull(),
      user_id: text(),
      status: text(),
      email: text(),
      linkedin_url: text(),
      first_name: text(),
      last_name: text(),
      name: text(),
      company: text(),
      position: text(),
      headline: text(),
      custom_fields: jsonb(),
      source: text(),
      source_ref: text(),
      current_node_id: text(),
      bounced_at: ts(),
      replied_at: ts(),
      created_at: ts(),
      updated_at: ts(),
      ...lineage(),
    },
    (t) => [
      idx('campaign_leads', t.campaign_id),
      idx('campaign_leads', t.created_at),
      idx('campaign_leads', t.email),
      idx('campaign_leads', t.status),
    ],
  );

  const campaign_senders = s.table(
    'campaign_senders',
    {
      campaign_id: text().notNull(),
      account_id: text().notNull(),
      display_name: text(),
      email_address: text(),
      profile_url: text(),
      status: text(),
      type: text(),
      is_premium: boolean(),
      warmup_status: text(),
      weekly_connection_limit: integer(),
      weekly_message_limit: integer(),
      daily_limit: integer(),
      weekly_connections_sent: integer(),
      weekly_messages_sent: integer(),
      committed_count: integer(),
      campaign_messages_sent: integer(),
      today_sent: integer(),
      ...lineage(),
    },
    (t) => [primaryKey({ columns: [t.campaign_id, t.account_id] }), idx('campaign_senders', t.account_id)],
  );

  const campaign_messages = s.table(
    'campaign_messages',
    {
      id: text().primaryKey(),
      campaign_id: text().notNull(),
      prospect_id: text(),
      node_id: text(),
      subject: text(),
      body_text: text(),
      body_html: text(),
      status: text(),
      manually_edited: boolean(),
      created_at: ts(),
      ...lineage(),
    },
    (t) => [
      idx('campaign_messages', t.campaign_id),
      idx('campaign_messages', t.prospect_id),
      idx('campaign_messages', t.created_at),
    ],
  );

  const threads = s.table(
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
  );

  const thread_messages = s.table(
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
  );

  const leads = s.table('leads', { id: text().primaryKey(), ...leadColumns(), ...lineage() }, (t) => [
    idx('leads', t.created_at),
    idx('leads', t.company_domain),
  ]);

  const lists = s.table(
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
  );

  // A lead can sit in many lists, so a membership is keyed by (list_id, id).
  const list_leads = s.table(
    'list_leads',
    { list_id: text().notNull(), id: text().notNull(), ...leadColumns(), ...lineage() },
    (t) => [
      primaryKey({ columns: [t.list_id, t.id] }),
      idx('list_leads', t.id),
      idx('list_leads', t.created_at),
    ],
  );

  const lead_search_tasks = s.table(
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
  );

  // Undocumented record shape: keys only, everything else stays in `raw`.
  const lead_search_results = s.table(
    'lead_search_results',
    { task_id: text().notNull(), id: text().notNull(), ...lineage() },
    (t) => [primaryKey({ columns: [t.task_id, t.id] })],
  );

  const signals = s.table(
    'signals',
    {
      id: text().primaryKey(),
      signal_type_id: text(),
      signal_type_label: text(),
      signal_type: text(),
      source_id: text(),
      source: text(),
      score: doublePrecision(),
      confidence: doublePrecision(),
      title: text(),
      formatted_title: text(),
      excerpt: text(),
      text: text(),
      reasoning: text(),
      url: text(),
      source_url: text(),
      comment: text(),
      dm_text: text(),
      comment_text: text(),
      author_name: text(),
      author_url: text(),
      label: text(),
      color: text(),
      status: text(),
      dismissed: boolean(),
      group_key: text(),
      entity_id: text(),
      person_entity_id: text(),
      entity_domain: text(),
      entity: jsonb(),
      person_entity: jsonb(),
      entity_company: jsonb(),
      entity_person: jsonb(),
      entity_metadata: jsonb(),
      classification: jsonb(),
      structured_wording: jsonb(),
      suggested_actions: jsonb(),
      workflow_run: jsonb(),
      action_state: jsonb(),
      normalized: jsonb(),
      created_at: ts(),
      ...lineage(),
    },
    (t) => [idx('signals', t.created_at), idx('signals', t.signal_type_id), idx('signals', t.entity_id)],
  );

  const signal_types = s.table('signal_types', {
    id: text().primaryKey(),
    label: text(),
    description: text(),
    kind: text(),
    enabled: boolean(),
    built_in: boolean(),
    keywords: jsonb(),
    disqualifiers: jsonb(),
    config: jsonb(),
    config_schema: jsonb(),
    search_instructions: text(),
    scoring_criteria: text(),
    sources: jsonb(),
    created_at: ts(),
    updated_at: ts(),
    ...lineage(),
  });

  // Undocumented record shape (person or company behind signals): keys only.
  const signal_leads = s.table(
    'signal_leads',
    { group_by: text().notNull(), id: text().notNull(), ...lineage() },
    (t) => [primaryKey({ columns: [t.group_by, t.id] })],
  );

  const signal_searches = s.table(
    'signal_searches',
    { id: text().primaryKey(), status: text(), created_at: ts(), completed_at: ts(), ...lineage() },
    (t) => [idx('signal_searches', t.created_at)],
  );

  const enrichments = s.table('enrichments', {
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
  });

  const enrichment_runs = s.table(
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
  );

  const enrichment_items = s.table(
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
  );

  const senders = s.table('senders', { ...senderColumns(), ...lineage() });

  const email_accounts = s.table('email_accounts', { ...senderColumns(), ...lineage() }, (t) => [
    idx('email_accounts', t.domain_id),
  ]);

  const email_domains = s.table('email_domains', {
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
  });

  const research_people = s.table('research_people', {
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
  });

  // ---- bookkeeping ----

  /** One row per (stream, partition): the walk in progress or last completed, written with its rows. */
  const sync_state = s.table(
    'sync_state',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      walk_id: text().notNull(),
      resume: jsonb(),
      complete: boolean().notNull().default(false),
      pages: counter(),
      high_water: text(),
      /** Parent value (e.g. thread last_message_at) when the current walk began. */
      walk_fingerprint: text(),
      /** Parent value when this partition was last walked completely. */
      parent_fingerprint: text(),
      run_id: text(),
      started_at: ts().notNull(),
      completed_at: ts(),
      updated_at: ts().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition] })],
  );

  /** Primary keys seen by the walk in progress; the sweep at walk completion reads them. */
  const walk_seen = s.table(
    'walk_seen',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      walk_id: text().notNull(),
      pk: text().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition, t.walk_id, t.pk] })],
  );

  /** One row per run (`stream = '*'`) and per stream in it. */
  const sync_runs = s.table(
    'sync_runs',
    {
      run_id: text().notNull(),
      stream: text().notNull(),
      trigger: text().notNull(),
      status: text().notNull(),
      streams: jsonb(),
      /** A `--full-refresh` run (inline or queued); a `sync` continuing it after a crash keeps it one. */
      full_refresh: boolean().notNull().default(false),
      started_at: ts().notNull(),
      finished_at: ts(),
      pages: counter(),
      records_read: counter(),
      inserted: counter(),
      updated: counter(),
      unchanged: counter(),
      deleted: counter(),
      /** Deletions the mass-delete guard held (not applied) in this run; see held_deletions. */
      held_deletions: counter(),
      rejected: counter(),
      /** Entries written to rows' `_changes`: typed values dropped (NULL) and `raw` strings repaired. */
      values_dropped: counter(),
      requests: counter(),
      retries: counter(),
      rate_limited: counter(),
      rate_limit_wait_seconds: doublePrecision().notNull().default(0),
      /** Requests by HTTP status, e.g. {"200": 41, "429": 2}; `network` / `timeout` when none came back. */
      requests_by_status: jsonb().$type<Record<string, number>>().notNull().default({}),
      cursor_before: text(),
      cursor_after: text(),
      error_class: text(),
      /** The error's stable code (`auth_rejected`, a SQLSTATE, …): what code branches on; error_class is for people. */
      error_code: text(),
      error_message: text(),
    },
    (t) => [primaryKey({ columns: [t.run_id, t.stream] }), idx('sync_runs', t.started_at)],
  );

  /**
   * Deletions held by the mass-delete guard, one row per (stream, partition): the keys a complete
   * walk missed that would have soft-deleted an unusual share of the partition's live rows. The
   * next complete walk applies the keys it misses again and drops the ones it sees.
   */
  const held_deletions = s.table(
    'held_deletions',
    {
      stream: text().notNull(),
      partition: text().notNull(),
      /** Primary keys held (row-mapper's PK text: values joined by U+001F). */
      pks: text().array().notNull(),
      held: integer().notNull(),
      live: integer().notNull(),
      first_held_at: ts().notNull(),
      first_held_run_id: text().notNull(),
      last_run_id: text().notNull(),
      updated_at: ts().notNull(),
    },
    (t) => [primaryKey({ columns: [t.stream, t.partition] })],
  );

  const rejected_records = s.table(
    'rejected_records',
    {
      id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      run_id: text(),
      stream: text().notNull(),
      partition: text().notNull(),
      reason: text().notNull(),
      raw: jsonb().notNull(),
      rejected_at: ts().notNull().defaultNow(),
    },
    (t) => [idx('rejected_records', t.run_id), idx('rejected_records', t.stream)],
  );

  /**
   * One row per webhook delivery `puffle-sync webhooks` accepted, keyed by its Svix message id:
   * the replay guard, and the queue of targeted syncs still owed (status `pending`).
   */
  const webhook_events = s.table(
    'webhook_events',
    {
      message_id: text().primaryKey(),
      event_type: text().notNull(),
      stream: text(),
      object_id: text(),
      expect_status: text(),
      detected_at: ts(),
      event_at: ts(),
      received_at: ts().notNull().defaultNow(),
      status: text().notNull(),
      attempts: counter(),
      next_attempt_at: ts(),
      run_id: text(),
      synced_at: ts(),
    },
    (t) => [
      index('webhook_events_stream_status_idx').on(t.stream, t.status),
      idx('webhook_events', t.synced_at),
    ],
  );

  const streams = {
    account,
    campaigns,
    campaign_sequence_nodes,
    campaign_leads,
    campaign_senders,
    campaign_messages,
    threads,
    thread_messages,
    leads,
    lists,
    list_leads,
    lead_search_tasks,
    lead_search_results,
    signals,
    signal_types,
    signal_leads,
    signal_searches,
    enrichments,
    enrichment_runs,
    enrichment_items,
    senders,
    email_accounts,
    email_domains,
    research_people,
  } satisfies Record<StreamName, PgTable>;

  /** Every table that is not a stream's: what the sync keeps about its own work. */
  const bookkeeping = { sync_state, walk_seen, sync_runs, held_deletions, rejected_records, webhook_events };

  return { ...streams, ...bookkeeping, streams, bookkeeping, pgSchema: s };
}

export type Tables = ReturnType<typeof buildTables>;

/**
 * Where a column reads its value when not `record[column] ?? record[camelCase(column)]`:
 * a dotted path into the record (the API nests it).
 */
export const COLUMN_SOURCES: Partial<Record<StreamName, Record<string, string>>> = {
  account: { first_name: 'profile.firstName', last_name: 'profile.lastName' },
  leads: { full_name: 'name.full', company_name: 'company.name', company_domain: 'company.domain' },
  list_leads: { full_name: 'name.full', company_name: 'company.name', company_domain: 'company.domain' },
  enrichment_runs: {
    enrichment_id: 'enrichment.id',
    enrichment_slug: 'enrichment.slug',
    list_id: 'scope.listId',
    started_at: 'timing.startedAt',
    completed_at: 'timing.completedAt',
    cancelled_at: 'timing.cancelledAt',
    created_at: 'timing.createdAt',
    updated_at: 'timing.updatedAt',
  },
  enrichment_items: {
    started_at: 'timing.startedAt',
    completed_at: 'timing.completedAt',
    created_at: 'timing.createdAt',
    updated_at: 'timing.updatedAt',
  },
};

// The default instance drizzle-kit reads (it only sees top-level table exports).
export const puffle = buildTables('puffle');
export const puffleSchema = puffle.pgSchema;
export const {
  account,
  campaigns,
  campaign_sequence_nodes,
  campaign_leads,
  campaign_senders,
  campaign_messages,
  threads,
  thread_messages,
  leads,
  lists,
  list_leads,
  lead_search_tasks,
  lead_search_results,
  signals,
  signal_types,
  signal_leads,
  signal_searches,
  enrichments,
  enrichment_runs,
  enrichment_items,
  senders,
  email_accounts,
  email_domains,
  research_people,
  sync_state,
  walk_seen,
  sync_runs,
  held_deletions,
  rejected_records,
  webhook_events,
} = puffle;
