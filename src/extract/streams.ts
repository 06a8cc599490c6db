/**
 * The stream catalog: one declaration per Puffle endpoint the sync walks, and the only list of
 * streams (`StreamName`, the counts in help and tests, the simulator walker's specs derive from
 * it; docs/streams.md is its rendering).
 *
 * Adding a stream: one entry below (`DEFAULTS` fills what it leaves out), one table in the domain
 * file of src/load/schema/, then `npm run db:generate`, `npm run docs:streams`, `npm run
 * docs:schema`; the simulator serves it with a generator and a route of its own.
 *
 * Primary keys are *table column* names (snake_case). For child streams the partition column
 * (e.g. `list_id`) is filled from the parent row by the loader, because several endpoints do not
 * repeat the parent id inside their records.
 *
 * Freshness is derived from the slots (`freshnessOf`), never declared: code branches on the slot
 * it needs (`incremental`, `unlisted`, `parent.once`, `parent.changedField`, `finishedWhen`), so a
 * mode written beside contradicting slots cannot exist. The mode names only label them in docs.
 */
import type { PaginatorConfig } from './paginators/types.ts';

/**
 * How a stream stays fresh (derived by `freshnessOf`).
 * - `full`: re-walked every run; no delete detection.
 * - `full+deletes` (`unlisted: 'deleted'`): re-walked; rows not seen in a complete walk get `_deleted_at`.
 * - `accumulate` (`unlisted: 'aged-out'`): re-walked; never deleted (the API lists only the latest).
 * - `incremental` (`incremental`): walked from the stored high-water mark; history kept.
 * - `changed-parents` (`parent.changedField`): a child walked only for parents whose field moved.
 * - `once` (`parent.once`): a child walked once per parent partition (completed lead searches).
 * - `until-finished` (`parent.finishedWhen`): re-walked until the parent reaches a terminal status.
 * - `snapshot` (`snapshot`): re-walked every run into the rows of one UTC date; earlier dates kept.
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

/** Values of `field` after which a record never changes again (a run's terminal statuses). */
export interface Finished {
  field: string;
  values: readonly string[];
}

/** Where the partition id goes: the `{as}` placeholder of the path, or the query parameter `as`. */
interface Binding {
  in: 'path' | 'query';
  as: string;
}

export interface ParentRef<S extends string = StreamName> extends Binding {
  stream: S;
  /** Field of the parent row that identifies the partition (column name in the parent table). */
  field: string;
  /** Column in this stream's table that receives the partition id. */
  column: string;
  /** Only parents matching this (column → allowed values) are walked. */
  where?: Readonly<Record<string, readonly string[]>>;
  /** `changed-parents`: the parent column whose change triggers a re-walk. */
  changedField?: string;
  /** `until-finished`: the parent is re-walked until this holds. */
  finishedWhen?: Finished;
  /** `once`: a partition walked completely is never walked again. */
  once?: true;
}

export interface StreamDef<S extends string = StreamName> {
  name: S;
  /** Path; a `{placeholder}` for a partition bound `in: 'path'`. */
  path: string;
  /** Fixed query parameters (e.g. every thread lifecycle status). */
  params?: Readonly<Record<string, string>>;
  paginator: PaginatorConfig;
  /** Records key(s), first match wins; for `single` the object key. `*array` = the only array field. */
  recordsAt: readonly string[];
  primaryKey: readonly string[];
  parent?: ParentRef<S>;
  /** Static partitions for streams walked once per value of a query parameter. */
  fanOut?: { param: string; column: string; values: readonly string[] };
  /**
   * Partitions named in configuration rather than by a parent stream: `setting` is the config
   * key (src/config/variables.ts) whose ids the caller passes; stored ids stay until `finishedWhen`.
   */
  configuredIds?: Binding & { setting: string };
  /** The stream's own records never change again once this holds (configured enrichment runs). */
  finishedWhen?: Finished;
  /** What a complete walk does to rows it no longer lists; default: nothing (they stay live). */
  unlisted?: 'deleted' | 'aged-out';
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

/** What an entry may leave out. */
const DEFAULTS = { primaryKey: ['id'], paginator: { kind: 'none' } } as const satisfies Partial<
  StreamDef<string>
>;
type Entry = Omit<StreamDef<string>, keyof typeof DEFAULTS> & Partial<StreamDef<string>>;

const HOUR = 3_600_000;
// biome-ignore format: kept on one line like the catalog entries
const SIGNALS_CURSOR = { kind: 'cursor', limit: 100, next: 'pagination.cursor', hasMore: 'pagination.hasMore' } as const;
const SINGLE = { kind: 'single' } as const;
const RUN_FINISHED = { field: 'status', values: ['completed', 'failed', 'cancelled'] } as const;
const byCampaign = { stream: 'campaigns', field: 'id', in: 'path', as: 'id', column: 'campaign_id' } as const;

// biome-ignore format: one compact entry per stream reads as a table (STYLE.md §1)
const CATALOG = [
  // https://docs.puffle.ai/api-reference/accounts/get-account — `{account, profile}`; profile merged in.
  { name: 'account', path: '/api/account', paginator: SINGLE, recordsAt: ['account'], priority: 1 },
  // /campaigns/list-campaigns — no pagination.
  { name: 'campaigns', path: '/api/campaigns', recordsAt: ['campaigns'], unlisted: 'deleted', priority: 1 },
  // /campaigns/get-campaign — `{campaign, sequence_nodes[]}`; the nodes are the records.
  { name: 'campaign_sequence_nodes', path: '/api/campaigns/{id}', recordsAt: ['sequence_nodes'], parent: byCampaign,
    priority: 3 },
  // /campaigns/get-leads-in-campaign — records key is `prospects`, limit ≤ 200.
  { name: 'campaign_leads', path: '/api/campaigns/{id}/leads', paginator: { kind: 'page', limit: 200 },
    recordsAt: ['prospects'], parent: byCampaign, unlisted: 'deleted', priority: 5 },
  // /campaigns/get-senders-for-campaign — rows are keyed by account only, so the campaign joins the key.
  { name: 'campaign_senders', path: '/api/campaigns/{id}/senders', recordsAt: ['senders'],
    primaryKey: ['campaign_id', 'account_id'], parent: byCampaign, priority: 3 },
  // /campaigns/list-campaign-generated-messages — default status is `draft`; `all` returns every message.
  { name: 'campaign_messages', path: '/api/campaigns/{id}/generate-messages', params: { status: 'all' },
    recordsAt: ['messages'], parent: byCampaign, priority: 4 },
  // /unibox/list-threads — without `status` only active threads with inbound activity come back.
  // The records key is undocumented: `threads`, else the response's only array field.
  { name: 'threads', path: '/api/threads', params: { status: 'active,archived,draft,warmup' },
    paginator: { kind: 'page', limit: 100 }, recordsAt: ['threads', '*array'], priority: 2 },
  // /unibox/list-thread-messages — never `GET /api/threads/{id}` (it resets the unread count).
  { name: 'thread_messages', path: '/api/threads/{id}/messages', paginator: { kind: 'page', limit: 200 },
    recordsAt: ['messages'], priority: 6,
    parent: { stream: 'threads', field: 'id', in: 'path', as: 'id', column: 'thread_id', changedField: 'last_message_at' } },
  // /leads/list-leads — top-level `nextCursor`; limit range undocumented, 100 is the guide's advice.
  { name: 'leads', path: '/api/leads', paginator: { kind: 'cursor', limit: 100, next: 'nextCursor' },
    recordsAt: ['leads'], unlisted: 'deleted', priority: 5 },
  // /lists/list-lists — no pagination (LEGACY page; NEW shape served by default).
  { name: 'lists', path: '/api/lists', recordsAt: ['lists'], unlisted: 'deleted', priority: 2 },
  // /lists/list-list-leads — a lead can sit in many lists, so a membership is (list_id, id).
  { name: 'list_leads', path: '/api/lists/{id}/leads',
    paginator: { kind: 'cursor', limit: 500, next: 'nextCursor', hasMore: 'hasMore' }, recordsAt: ['leads'],
    primaryKey: ['list_id', 'id'], parent: { stream: 'lists', field: 'id', in: 'path', as: 'id', column: 'list_id' },
    unlisted: 'deleted', priority: 7 },
  // /leads/list-lead-searches — only the 20 most recent tasks are listed: keep older ones.
  { name: 'lead_search_tasks', path: '/api/leads/search', recordsAt: ['tasks'], unlisted: 'aged-out', priority: 2 },
  // Referenced only (no doc page): offset-paginated provider rows of one completed task.
  { name: 'lead_search_results', path: '/api/leads/search/results', paginator: { kind: 'offset', limit: 100 },
    recordsAt: ['results'], primaryKey: ['task_id', 'id'], priority: 6,
    parent: { stream: 'lead_search_tasks', field: 'id', in: 'query', as: 'taskId', column: 'task_id',
      where: { status: ['completed'] }, once: true } },
  // /signals/list-signals — the only endpoint with a server-side time filter (`since`).
  { name: 'signals', path: '/api/signals', paginator: SIGNALS_CURSOR, recordsAt: ['signals'],
    incremental: { param: 'since', cursorField: 'created_at', lookbackMs: HOUR }, priority: 1 },
  // /signals/list-signal-types
  { name: 'signal_types', path: '/api/signals/types', recordsAt: ['types', 'signal_types'], priority: 2 },
  // /signals/list-signal-leads — walked once per `groupBy`; a person and a company may share an id space.
  { name: 'signal_leads', path: '/api/signals/leads', paginator: SIGNALS_CURSOR, recordsAt: ['leads'],
    primaryKey: ['group_by', 'id'], fanOut: { param: 'groupBy', column: 'group_by', values: ['person', 'company'] },
    priority: 4 },
  // /signals/list-signal-searches — cursor only when `ids` is not given.
  { name: 'signal_searches', path: '/api/signals/search', paginator: SIGNALS_CURSOR, recordsAt: ['searches'],
    priority: 3 },
  // /enrichments/get-enrichments — the catalog of enrichment kinds.
  { name: 'enrichments', path: '/api/enrichments', recordsAt: ['enrichments'], priority: 3 },
  // /enrichment/get-enrichment-status — Puffle cannot list runs: ids come from config or the table.
  { name: 'enrichment_runs', path: '/api/enrichment/{id}', paginator: SINGLE, recordsAt: ['run'],
    configuredIds: { setting: 'enrichmentRunIds', in: 'path', as: 'id' }, finishedWhen: RUN_FINISHED, priority: 3 },
  // /enrichment/list-enrichment-results — cursor is the last item id; `page:{limit,nextCursor,hasMore}`.
  { name: 'enrichment_items', path: '/api/enrichment/{id}/items',
    paginator: { kind: 'cursor', limit: 100, next: 'page.nextCursor', hasMore: 'page.hasMore' }, recordsAt: ['items'],
    priority: 6,
    parent: { stream: 'enrichment_runs', field: 'id', in: 'path', as: 'id', column: 'run_id', finishedWhen: RUN_FINISHED } },
  // /senders/list-senders
  { name: 'senders', path: '/api/senders', recordsAt: ['accounts'], priority: 2 },
  // /senders/list-email-accounts — never `/warmup-analytics` (it applies status transitions).
  { name: 'email_accounts', path: '/api/email/accounts', recordsAt: ['accounts'], priority: 2 },
  // /senders/list-email-domains — without `skip_sync=true` Puffle runs a live DNS refresh.
  { name: 'email_domains', path: '/api/email/domains', params: { skip_sync: 'true' }, recordsAt: ['domains'],
    priority: 2 },
  // /deep-research/list-research-v1 — partner surface, no pagination.
  { name: 'research_people', path: '/api/v1/research', recordsAt: ['people'], priority: 3 },
  // issue 15: signals and usage
  // /signals/get-signal-analytics — `type=keywords` is cursor-paginated (camel `hasMore`); keyword-runs is not.
  { name: 'signal_keywords', path: '/api/signals/analytics', params: { type: 'keywords' }, paginator: SIGNALS_CURSOR,
    recordsAt: ['keywords'], priority: 4 },
  // /signals/list-type-sources-v1 — one row per registered source; rows do not repeat the type id.
  { name: 'signal_type_sources', path: '/api/v1/signals/types/{id}/sources', recordsAt: ['sources'],
    primaryKey: ['signal_type_id', 'source_id'], priority: 4,
    parent: { stream: 'signal_types', field: 'id', in: 'path', as: 'id', column: 'signal_type_id' } },
  // /signals/list-v1-source-configs — saved configs only; an absent source runs with its defaults.
  { name: 'source_configs', path: '/api/v1/sources/config', recordsAt: ['configs'], primaryKey: ['source_id'],
    priority: 3 },
  // /campaigns/get-campaign-account-usage — sends of one UTC `date`; the rows name neither campaign nor date.
  { name: 'campaign_account_usage', path: '/api/campaigns/{id}/account-usage', recordsAt: ['accounts'],
    primaryKey: ['campaign_id', 'account_id', 'date'], parent: byCampaign, snapshot: { column: 'date', param: 'date' },
    priority: 4 },
  // /campaigns/get-campaign-settings — limits and usage as of now (no date parameter): kept one row per day.
  { name: 'sender_limits', path: '/api/campaigns/settings', recordsAt: ['accounts'], primaryKey: ['id', 'date'],
    snapshot: { column: 'date' }, priority: 3 },
  // /core/list-dashboard-analytics — one weekly row holds both channels: stored per (week, channel).
  // Older weeks Puffle stops returning are kept.
  { name: 'campaign_weekly_stats', path: '/api/dashboard/analytics', recordsAt: ['weekly'],
    primaryKey: ['week_start', 'channel'], explode: { column: 'channel', fields: ['linkedin', 'email'] },
    unlisted: 'aged-out', priority: 3 },
  // /lists/list-list-messages — the list agent's chat transcript, oldest first; rows name their list.
  { name: 'list_messages', path: '/api/lists/{id}/messages', recordsAt: ['messages'], priority: 6,
    parent: { stream: 'lists', field: 'id', in: 'path', as: 'id', column: 'list_id' } },
] as const satisfies readonly Entry[];

export type StreamName = (typeof CATALOG)[number]['name'];

type ParentNames = Extract<(typeof CATALOG)[number], { parent: unknown }>['parent']['stream'];
// Compile-time check: every parent names a stream of the catalog.
true satisfies ParentNames extends StreamName ? true : false;

export const STREAMS: readonly StreamDef[] = CATALOG.map((e) => checked({ ...DEFAULTS, ...e } as StreamDef));

/** A partition bound `in: 'path'` needs its placeholder in the path (and one bound in the query must not). */
function checked(def: StreamDef): StreamDef {
  const binding = def.parent ?? def.configuredIds;
  if (binding && def.path.includes(`{${binding.as}}`) !== (binding.in === 'path'))
    throw new Error(
      `stream ${def.name}: partition bound in ${binding.in} as "${binding.as}" but path is ${def.path}`,
    );
  return def;
}

export const STREAM_NAMES: readonly StreamName[] = STREAMS.map((s) => s.name);

export function freshnessOf(def: StreamDef): Freshness {
  if (def.incremental) return 'incremental';
  if (def.parent?.changedField) return 'changed-parents';
  if (def.parent?.once) return 'once';
  if (def.parent?.finishedWhen || def.finishedWhen) return 'until-finished';
  if (def.snapshot) return 'snapshot';
  if (def.unlisted === 'deleted') return 'full+deletes';
  if (def.unlisted === 'aged-out') return 'accumulate';
  return 'full';
}

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
