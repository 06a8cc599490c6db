/**
 * What each warehouse table and column means: the one source for docs/schema.md
 * (scripts/gen-schema-docs.ts), the `COMMENT ON` statements `migrate` maintains, the analytics
 * views' comments and the dbt package in dbt/. Types, nullability and keys come from
 * src/load/schema.ts; only the meaning lives here. A column missing from both
 * `TABLES[table].columns` and `COMMON_COLUMNS` is documented generically as a field of the API
 * record, so adding a column never breaks the generators.
 */

export interface TableDoc {
  /** One or two sentences: what a row is and where it comes from. */
  summary: string;
  /** Column-specific meanings; they win over COMMON_COLUMNS. */
  columns?: Record<string, string>;
  /**
   * Personal data the table holds (docs/schema.md "Personal data", PUFFLE_EXCLUDE_COLUMNS /
   * PUFFLE_HASH_COLUMNS): typed columns about a person, and what only `raw` holds when the record
   * shape is undocumented. `raw` always holds the same values as the typed columns.
   */
  personal?: { columns?: readonly string[]; rawOnly?: string };
}

/** Meanings shared by every table that has a column of this name. */
export const COMMON_COLUMNS: Record<string, string> = {
  id: 'Puffle id of the record (primary key unless the table says otherwise).',
  user_id: 'Puffle user (workspace member) that owns the record.',
  created_at: 'When Puffle created the record (UTC).',
  updated_at: 'When Puffle last changed the record (UTC).',
  status: 'Lifecycle status as Puffle reports it.',
  type: 'Kind of record as Puffle reports it.',
  name: 'Display name.',
  raw: 'The record exactly as the API sent it (every field, including undocumented ones).',
  _synced_at:
    'When puffle-sync last changed this row in the warehouse (UTC). It moves only when the row changes, so it does not tell freshness: use `sync_runs` (or the `freshness` view).',
  _run_id: 'The sync run that last wrote this row (`sync_runs.run_id`).',
  _changes:
    'Values dropped on the way in, as `[{field, reason, original}]` (`[]`: none): a typed column Postgres would refuse the value of is NULL and listed here; `raw.<path>` entries are strings of `raw` repaired with U+FFFD. A later clean read clears it (see "Dropped values").',
  _deleted_at:
    'Set when a complete walk no longer saw the row (soft delete); cleared if the row comes back. Filter `_deleted_at is null` for live rows.',
  campaign_id: 'Campaign the row belongs to (`campaigns.id`).',
  list_id: 'List the row belongs to (`lists.id`).',
  account_id: 'Sender account (`senders.id`).',
  display_name: 'Name shown for the sender account.',
  email_address: 'Email address of the sender account or inbox.',
  profile_url: 'LinkedIn profile URL of the sender account.',
  is_premium: 'Whether the LinkedIn account is Premium (higher weekly limits).',
  warmup_status: 'Email warmup state of the inbox.',
  weekly_connection_limit: 'LinkedIn connection requests allowed per week.',
  weekly_message_limit: 'LinkedIn messages allowed per week.',
  daily_limit: 'Maximum sends per day.',
  signature: 'Email signature appended to messages.',
  first_name: 'First name.',
  last_name: 'Last name.',
  subject: 'Email subject line.',
  body_text: 'Message body as plain text.',
  body_html: 'Message body as HTML.',
  completed_at: 'When it finished (UTC); null while running.',
  started_at: 'When it started (UTC).',
  error: 'Error object (`message`, `details`) when it failed.',
  linkedin_url: 'LinkedIn profile URL.',
  company: 'Company name.',
  company_domain: 'Company web domain.',
};

const LEAD_COLUMNS: Record<string, string> = {
  type: '`person` or `company`.',
  full_name: 'Full name (`name.full`).',
  name: 'Name object: `full`, `short`, `first`, `last`, `aliases`.',
  title: 'Job title (people).',
  company_name: 'Company name (`company.name`).',
  company_domain: 'Company domain (`company.domain`).',
  company: 'Company object: `id`, `name`, `domain`.',
  location: 'Location object: `city`, `state`, `country`, `raw`.',
  lists: 'Lists containing the lead: `[{id, name}]`.',
  sources: 'Where the lead came from: `[{id}]`.',
  socials: 'Social profile URLs: `[{url}]`.',
  contacts: 'Contact points (emails, phones): `[{value}]`.',
  attributes: 'Enrichment results and custom attributes, keyed by attribute.',
};

const LEAD_PERSONAL = { columns: ['full_name', 'name', 'location', 'socials', 'contacts', 'attributes'] };

const SENDER_PERSONAL = {
  columns: ['display_name', 'email_address', 'profile_url', 'first_name', 'last_name', 'signature'],
};

const SENDER_COLUMNS: Record<string, string> = {
  type: '`email` or `linkedin`.',
  status: 'Connection status of the account (e.g. connected, disconnected, pending).',
  provider_account_id: 'Id of the account at the provider (Unipile / email host).',
  has_sales_navigator: 'Whether the LinkedIn account has Sales Navigator.',
  domain_id: 'Sending domain (`email_domains.id`).',
  agentmail_inbox_id: 'Inbox id at AgentMail.',
  instantly_account_id: 'Account id at Instantly (warmup).',
  instantly_tag_id: 'Instantly tag of the account.',
  instantly_warmup_tag_id: 'Instantly warmup tag of the account.',
  email_domains: 'Joined domain object: `id`, `domain`, `status`.',
};

const TIMING = {
  started_at: 'When processing started (`timing.startedAt`).',
  completed_at: 'When processing finished (`timing.completedAt`).',
  created_at: 'When it was created (`timing.createdAt`).',
  updated_at: 'When it last changed (`timing.updatedAt`).',
};

export const TABLES: Record<string, TableDoc> = {
  account: {
    summary: 'The Puffle account (workspace user) the API key belongs to: one row.',
    personal: { columns: ['email', 'full_name', 'first_name', 'last_name', 'profile'] },
    columns: {
      email: 'Login email of the account.',
      full_name: 'Full name on the account.',
      first_name: 'First name (`profile.firstName`).',
      last_name: 'Last name (`profile.lastName`).',
      profile: 'Profile object as sent (`firstName`, `lastName`).',
      can_manage_auth: 'Whether this user may manage API keys.',
    },
  },
  campaigns: {
    summary: 'Outreach campaigns (email or LinkedIn), every lifecycle status.',
    personal: { columns: ['signature', 'sender_accounts'] },
    columns: {
      type: '`email` or `linkedin`.',
      name: 'Campaign name.',
      status: '`draft`, `launching`, `active`, `paused` or `completed`.',
      stop_on_reply: 'Whether a reply stops the sequence for that prospect.',
      open_tracking: 'Whether email opens are tracked.',
      skip_other_campaigns: 'Whether prospects already in other campaigns are skipped.',
      operating_hours: 'Sending window settings.',
      stats: 'Counters Puffle keeps: `total`, `sent`, `replied`, `bounced`, `completed`, `connected`, …',
      sender_accounts: 'Sender accounts attached to the campaign (snapshot).',
      node_count: 'Number of steps in the sequence.',
    },
  },
  campaign_sequence_nodes: {
    summary: "Steps of each campaign's sequence (from `GET /api/campaigns/{id}`).",
    personal: { columns: ['signature', 'from_name', 'reply_to', 'cc', 'bcc'] },
    columns: {
      position: 'Order of the step in the sequence (0 = first).',
      type: '`connection_request`, `message`, `email`, `delay`, `ai` or `end`.',
      body: 'Message template of the step.',
      from_name: 'Sender name for email steps.',
      reply_to: 'Reply-To address for email steps.',
      cc: 'CC addresses.',
      bcc: 'BCC addresses.',
      attachments: 'Attachments of the step.',
      include_message: 'Whether a connection request carries a note.',
      is_reply: 'Whether the email is sent as a reply in the same thread.',
      delay_days: 'Wait before this step: days.',
      delay_hours: 'Wait before this step: hours.',
      delay_minutes: 'Wait before this step: minutes.',
      ai_node: 'AI step settings: `purpose`, `output_type`.',
    },
  },
  campaign_leads: {
    summary: 'Prospects enrolled in each campaign, with their progress (Puffle calls them prospects).',
    personal: {
      columns: ['email', 'linkedin_url', 'first_name', 'last_name', 'name', 'headline', 'custom_fields'],
    },
    columns: {
      status:
        '`pending`, `sent`, `connection_sent`, `connected`, `message_sent`, `replied`, `bounced`, `completed`, `timed_out` or `cancelled`.',
      email: 'Email address of the prospect.',
      name: 'Full name of the prospect.',
      position: 'Job title of the prospect.',
      headline: 'LinkedIn headline.',
      custom_fields: 'Custom fields uploaded with the prospect.',
      source: 'How the prospect was added (`api`, `csv`, …).',
      source_ref: 'Reference in the source (e.g. list id).',
      current_node_id: 'Sequence step the prospect is on (`campaign_sequence_nodes.id`).',
      bounced_at: 'When an email to the prospect bounced.',
      replied_at: 'When the prospect first replied.',
    },
  },
  campaign_senders: {
    summary:
      'Sender accounts attached to each campaign, with 7-day usage. Keyed by (campaign, account): one account can send for many campaigns.',
    personal: { columns: ['display_name', 'email_address', 'profile_url'] },
    columns: {
      account_id: 'Sender account (`senders.id`); with `campaign_id` the primary key.',
      status: 'Connection status of the sender account.',
      type: '`email` or `linkedin`.',
      weekly_connections_sent: 'Connection requests sent in the last 7 days (all campaigns).',
      weekly_messages_sent: 'Messages sent in the last 7 days (all campaigns).',
      committed_count: 'Sends already scheduled for today.',
      campaign_messages_sent: 'Messages sent by this account for this campaign.',
      today_sent: 'Sends today (UTC).',
    },
  },
  campaign_messages: {
    summary: 'Messages generated for campaign prospects (drafts, pending and sent; `status=all`).',
    personal: { columns: ['subject', 'body_text', 'body_html'] },
    columns: {
      prospect_id: 'Prospect the message is for (`campaign_leads.id`).',
      node_id: 'Sequence step the message belongs to (`campaign_sequence_nodes.id`).',
      status: '`draft`, `pending` or `sent`.',
      manually_edited: 'Whether a user edited the generated text.',
    },
  },
  threads: {
    summary:
      'Unibox conversation threads in every lifecycle status (active, archived, draft, warmup), email and LinkedIn.',
    personal: {
      columns: ['participant_name', 'participant_email', 'participant_linkedin_url', 'last_message_snippet'],
    },
    columns: {
      account_id: 'Sender account the thread runs on (`senders.id`).',
      channel: '`email` or `linkedin`.',
      status: '`active`, `archived`, `draft` or `warmup`.',
      inbox_state:
        'Inbox bucket: `needs_reply`, `active_thread`, `sent_one_off`, `sent_campaign`, `archived`, …',
      external_id: 'Id of the conversation at the provider.',
      participant_name: 'Name of the other party.',
      participant_email: 'Email of the other party.',
      participant_linkedin_url: 'LinkedIn URL of the other party.',
      participant_company: 'Company of the other party.',
      last_message_at: 'When the last message was sent or received; drives re-reading thread_messages.',
      last_message_snippet: 'First ≤100 characters of the last message.',
      last_message_direction: '`inbound` or `outbound`.',
      unread_count: 'Unread messages (as of the sync; reading via the API never resets it).',
    },
  },
  thread_messages: {
    summary: 'Every message of every thread, oldest first per thread.',
    personal: { columns: ['subject', 'body_text', 'body_html', 'sender_name', 'sender_identifier'] },
    columns: {
      thread_id: 'Thread the message belongs to (`threads.id`).',
      conversation_id: 'Conversation id as Puffle reports it (same as the thread for Unibox threads).',
      campaign_id: 'Campaign that sent the message (`campaigns.id`); null for one-off and inbound messages.',
      direction: '`inbound` (from the prospect) or `outbound` (from you).',
      message_type: 'Kind of message (`message`, …).',
      sender_name: 'Name of the sender.',
      sender_identifier: 'Email address or LinkedIn id of the sender.',
      external_id: 'Id of the message at the provider.',
      sent_at: 'When the message was sent or received.',
    },
  },
  leads: {
    summary: 'Workspace leads (people and companies), the canonical lead model.',
    personal: LEAD_PERSONAL,
    columns: LEAD_COLUMNS,
  },
  lists: {
    summary: 'Lead lists.',
    columns: {
      name: 'List name.',
      description: 'List description.',
      lead_count: 'Leads in the list (`leadCount`).',
      person_count: 'People in the list.',
      company_count: 'Companies in the list.',
      row_count: 'Rows in the list (legacy shape).',
      enrichment_status: 'Enrichment state of the list (legacy shape).',
      active_search_task_id: 'Lead search filling the list (`lead_search_tasks.id`).',
      active_search_id: 'Lead search filling the list (legacy shape).',
      search_filters: 'Filters of the search that built the list.',
    },
  },
  list_leads: {
    summary:
      'List memberships: one row per (list, lead). A lead in three lists has three rows; its `id` is `leads.id`.',
    personal: LEAD_PERSONAL,
    columns: {
      ...LEAD_COLUMNS,
      id: 'Lead id (`leads.id`); with `list_id` the primary key.',
    },
  },
  lead_search_tasks: {
    summary:
      'Lead search tasks. Puffle lists only the 20 most recent; older tasks stay here (never deleted).',
    columns: {
      type: 'Kind of task (`lead_search`).',
      status: '`pending`, `running`, `completed` or `failed`.',
      status_url: 'URL to poll the task.',
      result_list_id: 'List that receives the results (`lists.id`).',
      list_id: 'List of the search (legacy shape).',
      prompt: 'Natural-language search prompt.',
      title: 'Title of the search.',
      filters: 'Structured filters of the search.',
      result_count: 'Number of results found.',
      error_message: 'Why the task failed.',
    },
  },
  lead_search_results: {
    summary:
      'Raw provider rows of each completed lead search; the shape is undocumented, so everything is in `raw`.',
    personal: { rawOnly: 'provider rows about people: names, titles, companies, emails, profile URLs' },
    columns: {
      task_id: 'Search task (`lead_search_tasks.id`); with `id` the primary key.',
      id: 'Id of the result row within its task.',
    },
  },
  signals: {
    summary:
      'Buying signals (hiring, funding, posts, …). Kept after Puffle deletes signals older than a year.',
    personal: {
      columns: ['author_name', 'author_url', 'person_entity', 'entity_person', 'comment_text', 'dm_text'],
    },
    columns: {
      signal_type_id: 'Signal type (`signal_types.id`).',
      signal_type_label: 'Label of the signal type.',
      signal_type: 'Signal type name (v1 shape).',
      source_id: 'Source that produced it (`news`, `reddit`, `linkedin_jobs`, …).',
      source: 'Source (v1 shape).',
      score: 'Relevance score (0–100).',
      confidence: 'Classifier confidence (0–1).',
      title: 'Title.',
      formatted_title: 'Title formatted for display.',
      excerpt: 'Excerpt of the source text.',
      text: 'Text of the signal (v1 shape).',
      reasoning: 'Why it was classified as a signal.',
      url: 'Link to the source.',
      source_url: 'Link to the source (v1 shape).',
      comment: 'Suggested comment.',
      dm_text: 'Suggested direct message.',
      comment_text: 'Comment text saved by the user.',
      author_name: 'Author of the source post.',
      author_url: 'Profile URL of the author.',
      label: 'Display label.',
      color: 'Display colour.',
      status: '`new`, `commented` or `dismissed` (`seen` in the feed).',
      dismissed: 'Whether the user dismissed it.',
      group_key: 'Grouping key (same entity).',
      entity_id: 'Company entity behind the signal (may vanish after Puffle merges entities).',
      person_entity_id: 'Person entity behind the signal.',
      entity_domain: 'Domain of the company entity.',
      entity: 'Company entity (v1 shape): `id`, `name`, `type`, `domain`.',
      person_entity: 'Person entity (v1 shape).',
      entity_company: 'Company entity object.',
      entity_person: 'Person entity object.',
      entity_metadata: 'Entity metadata: `person`, `company`.',
      classification: 'Classifier output.',
      structured_wording: 'Structured summary: `type`, `company`, `jobTitle`, `location`.',
      suggested_actions: 'Actions Puffle suggests.',
      workflow_run: 'Workflow run started from the signal: `id`, `status`, `workflowId`.',
      action_state: 'State of actions taken on the signal.',
      normalized: 'Normalised fields.',
      created_at: 'When the signal was detected; the incremental cursor (`since`).',
    },
  },
  signal_types: {
    summary: 'Signal types (built-in and custom keyword types).',
    columns: {
      label: 'Type label.',
      description: 'What the type detects.',
      kind: '`structured` or `keyword`.',
      enabled: 'Whether the type is scanned.',
      built_in: 'Whether Puffle ships the type.',
      keywords: 'Keywords (keyword types).',
      disqualifiers: 'Keywords that disqualify a match.',
      config: 'Type configuration.',
      config_schema: 'JSON schema of `config`.',
      search_instructions: 'Prompt: how to search.',
      scoring_criteria: 'Prompt: how to score.',
      sources: 'Sources enabled for the type.',
    },
  },
  signal_leads: {
    summary:
      'People and companies behind signals, walked once grouped by person and once by company; the shape is undocumented, so everything is in `raw`.',
    personal: { rawOnly: 'the people (and companies) behind signals: names, titles, profile URLs' },
    columns: {
      group_by: '`person` or `company`; with `id` the primary key.',
      id: 'Id of the person or company entity.',
    },
  },
  signal_searches: {
    summary: 'Signal searches the user started.',
    columns: { status: 'Search status.', completed_at: 'When the search finished.' },
  },
  enrichments: {
    summary: 'Catalog of enrichment kinds available to the workspace.',
    columns: {
      slug: 'Stable slug used to start runs.',
      name: 'Name.',
      description: 'What the enrichment returns.',
      subject: '`person` or `company`.',
      version: 'Version of the enrichment.',
      enabled: 'Whether it can be used.',
      visibility: 'Who can see it.',
      input_schema: 'JSON schema of the input.',
      output_schema: 'JSON schema of the output.',
      default_output: 'Where results go by default: `target`, `attributeKey`.',
      default_output_attribute_key: 'Lead attribute written by default.',
      output_override_policy: 'Whether existing values are overwritten.',
      cost_model: 'Credit cost: `creditAction`.',
      tool_binding: 'Implementation binding.',
    },
  },
  enrichment_runs: {
    summary:
      'Enrichment runs followed by the sync (ids from PUFFLE_ENRICHMENT_RUN_IDS or already stored), re-read until finished.',
    columns: {
      status: '`pending`, `running`, `completed`, `failed` or `cancelled`.',
      mode: 'Run mode (e.g. `persisted`).',
      enrichment_id: 'Enrichment used (`enrichments.id`, `enrichment.id`).',
      enrichment_slug: 'Slug of the enrichment (`enrichment.slug`).',
      list_id: 'List enriched (`scope.listId`, `lists.id`).',
      enrichment: 'Enrichment snapshot: `id`, `slug`, `version`, `snapshot`.',
      scope: 'What was enriched: `type`, `listId`, `requested`, `resolvedCount`, `counts`.',
      output: 'Where results were written.',
      cost: 'Credits: `preview`, `actual`.',
      trigger: 'Who started it: `correlationId`, `triggerRunId`.',
      cancelled_at: 'When it was cancelled (`timing.cancelledAt`).',
      ...TIMING,
    },
  },
  enrichment_items: {
    summary: 'Per-lead results of each followed enrichment run.',
    personal: { columns: ['result', 'metadata'] },
    columns: {
      run_id: 'Enrichment run (`enrichment_runs.id`).',
      lead_id: 'Lead enriched (`leads.id`).',
      membership_id: 'List membership enriched.',
      status: 'Item status (`pending`, `running`, `completed`, `skipped`, `failed`).',
      result: 'Enrichment result.',
      skipped_reason: 'Why the item was skipped.',
      attempts: 'Attempts made.',
      metadata: 'Input and lead snapshots, provider details.',
      ...TIMING,
    },
  },
  senders: {
    summary: 'All sender accounts (email inboxes and LinkedIn accounts).',
    personal: SENDER_PERSONAL,
    columns: SENDER_COLUMNS,
  },
  email_accounts: {
    summary: 'Email inboxes with their warmup state and domain.',
    personal: SENDER_PERSONAL,
    columns: SENDER_COLUMNS,
  },
  email_domains: {
    summary: 'Sending domains (read with `skip_sync=true`, so the sync never triggers a DNS refresh).',
    columns: {
      domain: 'The domain name.',
      agentmail_domain_id: 'Domain id at AgentMail.',
      status: '`pending`, `verifying`, `verified` or `failed`.',
      dns_records: 'DNS records to set: `[{type, name, value, priority}]`.',
      verified_at: 'When the domain was verified.',
    },
  },
  research_people: {
    summary: 'People researched with Deep Research (partner surface).',
    personal: { columns: ['first_name', 'last_name', 'linkedin_url', 'photo_url'] },
    columns: {
      role: 'Job title.',
      photo_url: 'Photo URL.',
      status: '`idle`, `running`, `complete` or `failed`.',
      last_enriched_at: 'When the research last ran.',
    },
  },
  // issue 15: signals and usage
  signal_keywords: {
    summary:
      'Keyword analytics of signal types (`GET /api/signals/analytics?type=keywords`): one row per tracked keyword.',
    columns: {
      keyword: 'The tracked keyword.',
      signal_type_id: 'Signal type the keyword belongs to (`signal_types.id`).',
      signal_type_label: 'Label of that signal type.',
      match_count: 'Items the keyword matched.',
      signal_count: 'Signals those matches produced.',
      avg_score: 'Average score of those signals (1–3).',
      top_score: 'Highest score of those signals.',
      last_matched_at: 'When the keyword last matched.',
    },
  },
  signal_type_sources: {
    summary:
      'Every registered source of each signal type, enabled or not (`GET /api/v1/signals/types/{id}/sources`). Keyed by (signal type, source).',
    columns: {
      signal_type_id: 'Signal type (`signal_types.id`); with `source_id` the primary key.',
      source_id:
        'Source: `news`, `reddit`, `hacker_news`, `x_twitter`, `linkedin_posts`, `linkedin_jobs`, `g2_capterra`.',
      enabled: 'Whether the type scans this source.',
      keywords_extra: 'Extra keywords for this source (≤ 50).',
      prompt_override: "Prompt used instead of the type's own for this source; null = the default.",
    },
  },
  source_configs: {
    summary:
      'Saved per-source configurations (`GET /api/v1/sources/config`). A source without a row runs enabled with its defaults.',
    columns: {
      source_id: 'Source (primary key).',
      enabled: 'Whether the source is scanned at all.',
      config: 'Source settings as saved.',
    },
  },
  campaign_account_usage: {
    summary:
      "Each sender's sends on one UTC day in one campaign, against its daily limit (`GET /api/campaigns/{id}/account-usage?date=`). One row per (campaign, account, date): every sync records today; `backfill` adds past days. History is kept.",
    personal: { columns: ['email'] },
    columns: {
      campaign_id: 'Campaign (`campaigns.id`); with `account_id` and `date` the primary key.',
      date: 'UTC day the figures are for.',
      email: 'Email address of the sender (null for LinkedIn senders).',
      daily_limit: 'Sends allowed per day.',
      sent_today: 'Sends on `date` (UTC).',
      status: 'Status of the sender account.',
    },
  },
  sender_limits: {
    summary:
      'Sender accounts with their limits and usage as the campaign settings show them (`GET /api/campaigns/settings`), one row per account and UTC day a sync ran: the history of limits and weekly figures.',
    personal: { columns: ['display_name', 'email_address'] },
    columns: {
      id: 'Sender account (`senders.id`); with `date` the primary key.',
      date: 'UTC day of the sync that recorded the row.',
      limits: 'Limits: `weekly_*`, `max_*` and `recommended_*` as Puffle reports them.',
      weekly_stats: "This week's sends of the account.",
      daily_stats: "Today's sends of the account.",
    },
  },
  campaign_weekly_stats: {
    summary:
      'Weekly campaign rollups of the dashboard (`GET /api/dashboard/analytics`), one row per week and channel (`linkedin` or `email`). Weeks Puffle stops returning are kept.',
    columns: {
      week_start: 'First day (Monday) of the week; with `channel` the primary key.',
      channel: '`linkedin` or `email`: the part of the weekly row this one holds.',
      connection_sent: 'LinkedIn connection requests sent.',
      connected: 'LinkedIn connections accepted.',
      message_sent: 'LinkedIn messages sent.',
      sent: 'Emails sent.',
      replied: 'Replies received.',
      bounced: 'Emails bounced.',
    },
  },
  list_messages: {
    summary: "The list agent's chat transcript, oldest first (`GET /api/lists/{id}/messages`).",
    columns: {
      role: '`user` or `assistant`.',
      content: 'Message text.',
      tool_calls: 'Tools the agent called.',
      tool_result: 'What they returned.',
    },
  },
  network_connections: {
    summary:
      'LinkedIn connections imported into Puffle (LEGACY network surface). No `updated_at`: every run re-reads them; gone ones get `_deleted_at`.',
    personal: { columns: ['first_name', 'last_name', 'email', 'linkedin_url'] },
    columns: {
      connected_on: 'Day the connection was made on LinkedIn.',
      position: 'Job title.',
      company: 'Company name.',
      enriched_at: 'When Puffle enriched the connection; null when never.',
      message_count: 'Messages exchanged with the connection, computed by Puffle on every request.',
    },
  },
  network_connection_details: {
    summary:
      "Opt-in (`PUFFLE_SYNC_STREAMS`): a connection's profile sections and messages, one request per connection, re-read when its `enriched_at` or `message_count` moves.",
    personal: { rawOnly: 'the profile sections and message texts' },
    columns: {
      connection_id: 'Connection (`network_connections.id`); the primary key.',
      messages: 'Messages exchanged with the connection.',
    },
  },
  list_columns: {
    summary:
      'Columns of the list sheets (LEGACY model): built-in, AI research and enrichment columns. Keyed by (list, column).',
    columns: {
      prompt: 'The AI prompt of a research column.',
      response_type: 'Type of the answers (`text`, `number`, `boolean`, …).',
      position: 'Order of the column in the sheet.',
      schema: 'Answer schema.',
      built_in_key: 'Key of a built-in column; null for custom ones.',
    },
  },
  list_rows: {
    summary:
      'Members of the list sheets (LEGACY model): one row per person in a list. Their cells are in `list_cells`.',
    personal: { columns: ['linkedin_url', 'profile_data'] },
    columns: {
      profile_data: 'Profile of the member (name, headline, company).',
      added_at: 'When the member was added to the list.',
      company_row_id: "Row of the member's company in the company segment.",
    },
  },
  list_cells: {
    summary:
      'One value of one list column for one member: the `cells` of each `list_rows` record, written with their row (pivot with `docs/queries.sql` `list_sheet_pivot`). A cell gone from its row, and every cell of a deleted row, gets `_deleted_at`.',
    columns: {
      row_id: 'Member (`list_rows.id`).',
      column_id: 'Column (`list_columns.id`).',
      id: 'Puffle id of the cell.',
      value: 'The answer, as JSON (text, number, boolean or object); null while pending.',
      reasoning: 'Why the AI answered so.',
      error: 'Why the cell failed, when it did.',
    },
  },
  research_reports: {
    summary:
      "Deep Research reports, one per researched person with a report; re-read when the person's `updated_at` or `last_enriched_at` moves.",
    personal: { columns: ['person'], rawOnly: 'the report content about the person' },
    columns: {
      person_id: 'Person (`research_people.id`); the primary key.',
      id: 'Puffle id of the report.',
      version: 'Report version.',
      status: 'Research status when the report was read.',
      content: 'The report.',
      change_summary: 'What changed since the previous report.',
      person: 'The researched person as the report endpoint returned it.',
      generated_at: 'When the report was generated.',
    },
  },
  sync_state: {
    summary:
      'Bookkeeping: one row per (stream, partition) with the resume point, written in the same transaction as the rows it covers.',
    columns: {
      stream: 'Stream (table) name.',
      partition: "Partition: `''` for root streams, the parent id for child streams.",
      walk_id: 'Id of the walk in progress or last completed.',
      resume: 'Where the next page starts (cursor, page or offset); null = start over.',
      complete: 'Whether the last walk reached the end.',
      pages: 'Pages committed by the current walk.',
      high_water: 'Incremental high-water mark (newest `created_at` stored, signals).',
      walk_fingerprint: 'Parent value (e.g. `threads.last_message_at`) when the current walk began.',
      parent_fingerprint: 'Parent value when this partition was last walked completely.',
      run_id: 'Run that last touched the row (`sync_runs.run_id`).',
      started_at: 'When the current walk began.',
      completed_at: 'When the last walk completed.',
      updated_at: 'When the row last changed.',
    },
  },
  walk_seen: {
    summary:
      'Bookkeeping: primary keys seen by the walk in progress, used to soft-delete rows a complete walk did not see.',
    columns: {
      stream: 'Stream (table) name.',
      partition: 'Partition of the walk.',
      walk_id: 'Walk (`sync_state.walk_id`).',
      pk: 'Primary key of a row the walk saw (JSON text).',
    },
  },
  sync_runs: {
    summary:
      "Run history: one row per run (`stream = '*'`) and one per stream in it. A run that read nothing because the key was rejected is `failed`.",
    columns: {
      run_id: 'Run id; `_run_id` of the rows it wrote.',
      stream: "Stream name, or `'*'` for the whole run.",
      trigger:
        '`manual`, `schedule`, `backfill`, `demo` or `webhook` (a targeted sync triggered by a Puffle webhook).',
      status: '`running`, `succeeded`, `failed` or `partial`.',
      streams: 'Streams requested (whole-run row).',
      full_refresh:
        'The run was a `--full-refresh` (whole-run row); a sync continuing it after a crash keeps it one.',
      started_at: 'When the run (or stream) started.',
      finished_at: 'When it finished; null while running.',
      pages: 'Pages committed.',
      records_read: 'Records received from the API.',
      inserted: 'Rows inserted.',
      updated: 'Rows whose content changed.',
      unchanged: 'Rows received identical to what was stored.',
      deleted: 'Rows soft-deleted (`_deleted_at` set).',
      held_deletions:
        'Deletions the mass-delete guard held instead of applying (the rows stay live; see held_deletions).',
      rejected: 'Records that could not be stored (see rejected_records).',
      requests: 'HTTP requests made.',
      retries: 'Retries of transient failures (5xx, resets, timeouts).',
      rate_limited: '429 responses received.',
      rate_limit_wait_seconds:
        "Seconds requests spent waiting because of 429s, summed over the requests (requests waiting at once each count): it can exceed the run's duration.",
      requests_by_status:
        'The same requests by HTTP status, e.g. `{"200": 41, "429": 2}`; `network` / `timeout` when no response came back.',
      cursor_before: 'Incremental cursor at the start.',
      cursor_after: 'Incremental cursor at the end.',
      error_class: 'Error class when it failed (e.g. `AuthRejectedError`).',
      error_code:
        "The error's stable code when it failed (e.g. `auth_rejected`, `pagination`, or a SQLSTATE): branch on this, not on the class or the message. Null on rows written before the column existed.",
      error_message: 'Error message (never contains the API key).',
    },
  },
  held_deletions: {
    summary:
      "Bookkeeping: deletions held by the mass-delete guard, one row per (stream, partition). A complete walk that would soft-delete more than `PUFFLE_MASS_DELETE_PERCENT` of a partition's live rows (and at least `PUFFLE_MASS_DELETE_MIN_ROWS`, or every live row of it) leaves them live and holds them here; the next complete walk deletes the keys it misses again and releases the ones it sees.",
    columns: {
      stream: 'Stream (table) name.',
      partition: "Partition: `''` for root streams, the parent id for child streams.",
      pks: 'Primary keys of the held rows (several key columns joined by U+001F).',
      held: 'How many rows are held (the length of `pks`).',
      live: 'Live rows of the partition when the walk that held them completed.',
      first_held_at: 'When the partition began to have deletions held (kept while a hold follows a hold).',
      first_held_run_id: 'Run whose walk first held deletions of the partition (`sync_runs.run_id`).',
      last_run_id: 'Run whose walk held the keys now in `pks` (`sync_runs.run_id`).',
      updated_at: 'When the row last changed.',
    },
  },
  rejected_records: {
    summary:
      'Records the API sent that could not be stored (no primary key, wrong type), kept with the reason.',
    columns: {
      id: 'Row id (generated).',
      run_id: 'Run that received the record.',
      stream: 'Stream the record came from.',
      partition: 'Partition it came from.',
      reason: 'Why it was rejected.',
      raw: 'The record as sent.',
      rejected_at: 'When it was rejected.',
    },
  },
  webhook_events: {
    summary:
      'Webhook deliveries accepted by `puffle-sync webhooks`, one per Svix message id: a replayed delivery finds its row and does nothing twice; `pending` rows are targeted syncs still owed.',
    columns: {
      message_id: 'Svix message id (`svix-id` header); the same for every retry of one event.',
      event_type: 'Event type, e.g. `signal.detected`, `research.complete`.',
      stream:
        'Stream the event re-syncs (`signals`, `research_people`); null for event types that are ignored.',
      object_id: 'Id of the record the event is about (`data.id`); the row itself always comes from the API.',
      expect_status: 'Status the row must show for the sync to count as landed (`research.*` events).',
      detected_at:
        '`data.detected_at` of a signal event: the targeted walk reads signals from just before it.',
      event_at: 'When Puffle emitted the event (envelope `timestamp`).',
      received_at: 'When the delivery was accepted.',
      status:
        '`pending` (sync owed), `synced` (row committed), `ignored` (unknown type) or `gave_up` (row never appeared; the nightly run is the backstop).',
      attempts: 'Targeted syncs that ran without landing the row.',
      next_attempt_at: 'Earliest time of the next attempt while `pending`.',
      run_id: 'Run that landed the row (`sync_runs.run_id`).',
      synced_at: 'When the row was committed (or found) after the targeted sync.',
    },
  },
};

/** Joins that are not parent → child partitions of the catalog (those are derived). */
export const EXTRA_JOINS: ReadonlyArray<{ from: string; to: string; note?: string }> = [
  { from: 'campaign_leads.current_node_id', to: 'campaign_sequence_nodes.id' },
  { from: 'campaign_messages.prospect_id', to: 'campaign_leads.id' },
  { from: 'campaign_messages.node_id', to: 'campaign_sequence_nodes.id' },
  { from: 'campaign_senders.account_id', to: 'senders.id' },
  { from: 'threads.account_id', to: 'senders.id' },
  { from: 'thread_messages.campaign_id', to: 'campaigns.id', note: 'outbound campaign messages only' },
  { from: 'list_leads.id', to: 'leads.id', note: 'the lead behind a membership' },
  { from: 'lead_search_tasks.result_list_id', to: 'lists.id' },
  { from: 'lists.active_search_task_id', to: 'lead_search_tasks.id' },
  { from: 'signals.signal_type_id', to: 'signal_types.id' },
  { from: 'enrichment_runs.enrichment_id', to: 'enrichments.id' },
  { from: 'enrichment_runs.list_id', to: 'lists.id' },
  { from: 'enrichment_items.lead_id', to: 'leads.id' },
  { from: 'email_accounts.domain_id', to: 'email_domains.id' },
  { from: 'email_accounts.id', to: 'senders.id', note: 'inboxes are also senders' },
  {
    from: '<every stream table>._run_id',
    to: 'sync_runs.run_id',
    note: "with `sync_runs.stream` = the table's name",
  },
  { from: 'rejected_records.run_id', to: 'sync_runs.run_id' },
  { from: 'held_deletions.last_run_id', to: 'sync_runs.run_id' },
  { from: 'webhook_events.run_id', to: 'sync_runs.run_id' },
];
