/**
 * The stream catalog: one declaration per Puffle endpoint the sync walks
 * (docs/streams.md is its rendering: `npm run docs:streams`). Adding an endpoint = one entry here +
 * one table in src/load/schema.ts + `npm run db:generate` + `npm run docs:streams`.
 *
 * Primary keys are *table column* names (snake_case). For child streams the partition column
 * (e.g. `list_id`) is filled from the parent row by the loader, because several endpoints do not
 * repeat the parent id inside their records.
 */
import type { PaginatorConfig } from './paginators/types.ts';

export type StreamName =
  | 'account'
  | 'campaigns'
  | 'campaign_sequence_nodes'
  | 'campaign_leads'
  | 'campaign_senders'
  | 'campaign_messages'
  | 'threads'
  | 'thread_messages'
  | 'leads'
  | 'lists'
  | 'list_leads'
  | 'lead_search_tasks'
  | 'lead_search_results'
  | 'signals'
  | 'signal_types'
  | 'signal_leads'
  | 'signal_searches'
  | 'enrichments'
  | 'enrichment_runs'
  | 'enrichment_items'
  | 'senders'
  | 'email_accounts'
  | 'email_domains'
  | 'research_people'
  // issue 15: signals and usage
  | 'signal_keywords'
  | 'signal_type_sources'
  | 'source_configs'
  | 'campaign_account_usage'
  | 'sender_limits'
  | 'campaign_weekly_stats'
  | 'list_messages';

/**
 * How a stream stays fresh.
 * - `full`: re-walked every run; no delete detection.
 * - `full+deletes`: re-walked; rows not seen in a complete walk get `_deleted_at`.
 * - `accumulate`: re-walked; never deleted (lead_search_tasks: the API lists only the latest 20).
 * - `incremental`: walked from the stored high-water mark (`incremental` below); history kept.
 * - `changed-parents`: a child walked only for parents whose `changedField` moved since last run.
 * - `once`: a child walked once per parent partition (completed lead searches).
 * - `until-finished`: re-walked until the parent reaches a terminal status.
 * - `snapshot`: re-walked every run into the rows of one UTC date (`snapshot`); earlier dates kept.
 */
export type Freshness =
  | 'full'
  | 'full+deletes'
  | 'accumulate'
  | 'incremental'
  | 'changed-parents'
  | 'once'
  | 'until-finished'
  | 'snapshot';

export interface ParentRef {
  stream: StreamName;
  /** Field of the parent row that identifies the partition (column name in the parent table). */
  field: string;
  /** Path placeholder (`{id}`) or query parameter (`taskId`) the partition id fills. */
  as: string;
  /** Column in this stream's table that receives the partition id. */
  column: string;
  /** Only parents matching this (column → allowed values) are walked. */
  where?: Record<string, readonly string[]>;
  /** For `changed-parents`: the parent column whose change triggers a re-walk. */
  changedField?: string;
  /** For `until-finished`: parent statuses after which the child is no longer re-walked. */
  finishedWhen?: { field: string; values: readonly string[] };
}

export interface StreamDef {
  name: StreamName;
  /** Path with `{id}` for the parent partition. */
  path: string;
  /** Fixed query parameters (e.g. every thread lifecycle status). */
  params?: Record<string, string>;
  paginator: PaginatorConfig;
  /** Records key(s), first match wins; for `single` the object key. `*array` = the only array field. */
  recordsAt: readonly string[];
  primaryKey: readonly string[];
  parent?: ParentRef;
  /** Static partitions for streams walked once per value of a query parameter. */
  fanOut?: { param: string; column: string; values: readonly string[] };
  /** Partitions named in configuration rather than by a parent stream (enrichment runs). */
  configuredIds?: { env: 'PUFFLE_ENRICHMENT_RUN_IDS'; as: string };
  freshness: Freshness;
  incremental?: { param: 'since'; cursorField: string; lookbackMs: number };
  /**
   * A daily snapshot: every row carries the UTC date it describes in `column` (part of the key).
   * A regular run records today; with `param` the endpoint takes the date, so a backfill walks
   * past dates (one unit per partition and day).
   */
  snapshot?: { column: string; param?: 'date' };
  /**
   * Each record holds one object per key of `fields` (`{week_start, linkedin:{…}, email:{…}}`):
   * it becomes one record per field present, `{...rest, [column]: field, ...record[field]}`.
   */
  explode?: { column: string; fields: readonly string[] };
  /** Lower runs first when workers are busy (BullMQ priority). */
  priority: number;
}

const HOUR = 3_600_000;
// biome-ignore format: kept on one line like the catalog entries
const SIGNALS_CURSOR = { kind: 'cursor', limit: 100, next: 'pagination.cursor', hasMore: 'pagination.hasMore' } as const;
const ONE_PAGE = { kind: 'none' } as const;
const SINGLE = { kind: 'single' } as const;
const byCampaign = { stream: 'campaigns', field: 'id', as: 'id', column: 'campaign_id' } as const;

// biome-ignore format: one compact entry per stream reads as a table (STYLE.md §1)
export const STREAMS: readonly StreamDef[] = [
  // https://docs.puffle.ai/api-reference/accounts/get-account — `{account, profile}`; profile merged in.
  { name: 'account', path: '/api/account', paginator: SINGLE, recordsAt: ['account'], primaryKey: ['id'],
    freshness: 'full', priority: 1 },
  // /campaigns/list-campaigns — no pagination.
  { name: 'campaigns', path: '/api/campaigns', paginator: ONE_PAGE, recordsAt: ['campaigns'], primaryKey: ['id'],
    freshness: 'full+deletes', priority: 1 },
  // /campaigns/get-campaign — `{campaign, sequence_nodes[]}`; the nodes are the records.
  { name: 'campaign_sequence_nodes', path: '/api/campaigns/{id}', paginator: ONE_PAGE,
    recordsAt: ['sequence_nodes'], primaryKey: ['id'], parent: byCampaign, freshness: 'full', priority: 3 },
  // /campaigns/get-leads-in-campaign — records key is `prospects`, limit ≤ 200.
  { name: 'campaign_leads', path: '/api/campaigns/{id}/leads', paginator: { kind: 'page', limit: 200 },
    recordsAt: ['prospects'], primaryKey: ['id'], parent: byCampaign, freshness: 'full+deletes', priority: 5 },
  // /campaigns/get-senders-for-campaign — rows are keyed by account only, so the campaign joins the key.
  { name: 'campaign_senders', path: '/api/campaigns/{id}/senders', paginator: ONE_PAGE, recordsAt: ['senders'],
    primaryKey: ['campaign_id', 'account_id'], parent: byCampaign, freshness: 'full', priority: 3 },
  // /campaigns/list-campaign-generated-messages — default status is `draft`; `all` returns every message.
  { name: 'campaign_messages', path: '/api/campaigns/{id}/generate-messages', params: { status: 'all' },
    paginator: ONE_PAGE, recordsAt: ['messages'], primaryKey: ['id'], parent: byCampaign, freshness: 'full', priority: 4 },
  // /unibox/list-threads — without `status` only active threads with inbound activity come back.
  // The records key is undocumented: `threads`, else the response's only array field.
  { name: 'threads', path: '/api/threads', params: { status: 'active,archived,draft,warmup' },
    paginator: { kind: 'page', limit: 100 }, recordsAt: ['threads', '*array'], primaryKey: ['id'],
    freshness: 'full', priority: 2 },
  // /unibox/list-thread-messages — never `GET /api/threads/{id}` (it resets the unread count).
  { name: 'thread_messages', path: '/api/threads/{id}/messages', paginator: { kind: 'page', limit: 200 },
    recordsAt: ['messages'], primaryKey: ['id'], freshness: 'changed-parents', priority: 6,
    parent: { stream: 'threads', field: 'id', as: 'id', column: 'thread_id', changedField: 'last_message_at' } },
  // /leads/list-leads — top-level `nextCursor`; limit range undocumented, 100 is the guide's advice.
  { name: 'leads', path: '/api/leads', paginator: { kind: 'cursor', limit: 100, next: 'nextCursor' },
    recordsAt: ['leads'], primaryKey: ['id'], freshness: 'full+deletes', priority: 5 },
  // /lists/list-lists — no pagination (LEGACY page; NEW shape served by default).
  { name: 'lists', path: '/api/lists', paginator: ONE_PAGE, recordsAt: ['lists'], primaryKey: ['id'],
    freshness: 'full+deletes', priority: 2 },
  // /lists/list-list-leads — a lead can sit in many lists, so a membership is (list_id, id).
  { name: 'list_leads', path: '/api/lists/{id}/leads',
    paginator: { kind: 'cursor', limit: 500, next: 'nextCursor', hasMore: 'hasMore' }, recordsAt: ['leads'],
    primaryKey: ['list_id', 'id'], parent: { stream: 'lists', field: 'id', as: 'id', column: 'list_id' },
    freshness: 'full+deletes', priority: 7 },
  // /leads/list-lead-searches — only the 20 most recent tasks are listed: keep older ones.
  { name: 'lead_search_tasks', path: '/api/leads/search', paginator: ONE_PAGE, recordsAt: ['tasks'],
    primaryKey: ['id'], freshness: 'accumulate', priority: 2 },
  // Referenced only (no doc page): offset-paginated provider rows of one completed task.
  { name: 'lead_search_results', path: '/api/leads/search/results', paginator: { kind: 'offset', limit: 100 },
    recordsAt: ['results'], primaryKey: ['task_id', 'id'], freshness: 'once', priority: 6,
    parent: { stream: 'lead_search_tasks', field: 'id', as: 'taskId', column: 'task_id', where: { status: ['completed'] } } },
  // /signals/list-signals — the only endpoint with a server-side time filter (`since`).
  { name: 'signals', path: '/api/signals', paginator: SIGNALS_CURSOR, recordsAt: ['signals'], primaryKey: ['id'],
    freshness: 'incremental', incremental: { param: 'since', cursorField: 'created_at', lookbackMs: HOUR }, priority: 1 },
  // /signals/list-signal-types
  { name: 'signal_types', path: '/api/signals/types', paginator: ONE_PAGE, recordsAt: ['types', 'signal_types'],
    primaryKey: ['id'], freshness: 'full', priority: 2 },
  // /signals/list-signal-leads — walked once per `groupBy`; a person and a company may share an id space.
  { name: 'signal_leads', path: '/api/signals/leads', paginator: SIGNALS_CURSOR, recordsAt: ['leads'],
    primaryKey: ['group_by', 'id'], fanOut: { param: 'groupBy', column: 'group_by', values: ['person', 'company'] },
    freshness: 'full', priority: 4 },
  // /signals/list-signal-searches — cursor only when `ids` is not given.
  { name: 'signal_searches', path: '/api/signals/search', paginator: SIGNALS_CURSOR, recordsAt: ['searches'],
    primaryKey: ['id'], freshness: 'full', priority: 3 },
  // /enrichments/get-enrichments — the catalog of enrichment kinds.
  { name: 'enrichments', path: '/api/enrichments', paginator: ONE_PAGE, recordsAt: ['enrichments'],
    primaryKey: ['id'], freshness: 'full', priority: 3 },
  // /enrichment/get-enrichment-status — Puffle cannot list runs: ids come from config or the table.
  { name: 'enrichment_runs', path: '/api/enrichment/{id}', paginator: SINGLE, recordsAt: ['run'], primaryKey: ['id'],
    configuredIds: { env: 'PUFFLE_ENRICHMENT_RUN_IDS', as: 'id' }, freshness: 'until-finished', priority: 3 },
  // /enrichment/list-enrichment-results — cursor is the last item id; `page:{limit,nextCursor,hasMore}`.
  { name: 'enrichment_items', path: '/api/enrichment/{id}/items',
    paginator: { kind: 'cursor', limit: 100, next: 'page.nextCursor', hasMore: 'page.hasMore' }, recordsAt: ['items'],
    primaryKey: ['id'], freshness: 'until-finished', priority: 6,
    parent: { stream: 'enrichment_runs', field: 'id', as: 'id', column: 'run_id',
      finishedWhen: { field: 'status', values: ['completed', 'failed', 'cancelled'] } } },
  // /senders/list-senders
  { name: 'senders', path: '/api/senders', paginator: ONE_PAGE, recordsAt: ['accounts'], primaryKey: ['id'],
    freshness: 'full', priority: 2 },
  // /senders/list-email-accounts — never `/warmup-analytics` (it applies status transitions).
  { name: 'email_accounts', path: '/api/email/accounts', paginator: ONE_PAGE, recordsAt: ['accounts'],
    primaryKey: ['id'], freshness: 'full', priority: 2 },
  // /senders/list-email-domains — without `skip_sync=true` Puffle runs a live DNS refresh.
  { name: 'email_domains', path: '/api/email/domains', params: { skip_sync: 'true' }, paginator: ONE_PAGE,
    recordsAt: ['domains'], primaryKey: ['id'], freshness: 'full', priority: 2 },
  // /deep-research/list-research-v1 — partner surface, no pagination.
  { name: 'research_people', path: '/api/v1/research', paginator: ONE_PAGE, recordsAt: ['people'],
    primaryKey: ['id'], freshness: 'full', priority: 3 },
  // issue 15: signals and usage
  // /signals/get-signal-analytics — `type=keywords` is cursor-paginated (camel `hasMore`); keyword-runs is not.
  { name: 'signal_keywords', path: '/api/signals/analytics', params: { type: 'keywords' }, paginator: SIGNALS_CURSOR,
    recordsAt: ['keywords'], primaryKey: ['id'], freshness: 'full', priority: 4 },
  // /signals/list-type-sources-v1 — one row per registered source; rows do not repeat the type id.
  { name: 'signal_type_sources', path: '/api/v1/signals/types/{id}/sources', paginator: ONE_PAGE,
    recordsAt: ['sources'], primaryKey: ['signal_type_id', 'source_id'], freshness: 'full', priority: 4,
    parent: { stream: 'signal_types', field: 'id', as: 'id', column: 'signal_type_id' } },
  // /signals/list-v1-source-configs — saved configs only; an absent source runs with its defaults.
  { name: 'source_configs', path: '/api/v1/sources/config', paginator: ONE_PAGE, recordsAt: ['configs'],
    primaryKey: ['source_id'], freshness: 'full', priority: 3 },
  // /campaigns/get-campaign-account-usage — sends of one UTC `date`; the rows name neither campaign nor date.
  { name: 'campaign_account_usage', path: '/api/campaigns/{id}/account-usage', paginator: ONE_PAGE,
    recordsAt: ['accounts'], primaryKey: ['campaign_id', 'account_id', 'date'], parent: byCampaign,
    snapshot: { column: 'date', param: 'date' }, freshness: 'snapshot', priority: 4 },
  // /campaigns/get-campaign-settings — limits and usage as of now (no date parameter): kept one row per day.
  { name: 'sender_limits', path: '/api/campaigns/settings', paginator: ONE_PAGE, recordsAt: ['accounts'],
    primaryKey: ['id', 'date'], snapshot: { column: 'date' }, freshness: 'snapshot', priority: 3 },
  // /core/list-dashboard-analytics — one weekly row holds both channels: stored per (week, channel).
  // Older weeks Puffle stops returning are kept.
  { name: 'campaign_weekly_stats', path: '/api/dashboard/analytics', paginator: ONE_PAGE, recordsAt: ['weekly'],
    primaryKey: ['week_start', 'channel'], explode: { column: 'channel', fields: ['linkedin', 'email'] },
    freshness: 'accumulate', priority: 3 },
  // /lists/list-list-messages — the list agent's chat transcript, oldest first; rows name their list.
  { name: 'list_messages', path: '/api/lists/{id}/messages', paginator: ONE_PAGE, recordsAt: ['messages'],
    primaryKey: ['id'], parent: { stream: 'lists', field: 'id', as: 'id', column: 'list_id' },
    freshness: 'full', priority: 6 },
];

export const STREAM_NAMES: readonly StreamName[] = STREAMS.map((s) => s.name);

export function getStream(name: string): StreamDef {
  const def = STREAMS.find((s) => s.name === name);
  if (!def) throw new Error(`unknown stream "${name}"; known streams: ${STREAM_NAMES.join(', ')}`);
  return def;
}

/** Streams in an order where every parent comes before its children. */
export function streamsInDependencyOrder(names: readonly StreamName[] = STREAM_NAMES): StreamDef[] {
  const wanted = new Set(names);
  const out: StreamDef[] = [];
  const visit = (def: StreamDef) => {
    if (out.includes(def)) return;
    if (def.parent) visit(getStream(def.parent.stream));
    out.push(def);
  };
  for (const def of STREAMS) if (wanted.has(def.name)) visit(def);
  return out.filter((d) => wanted.has(d.name));
}
