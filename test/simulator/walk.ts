/**
 * A tiny hand-written walker for the simulator tests: it knows each endpoint's documented
 * pagination (independently of src/extract) and walks every page over real HTTP.
 */
import type { ExpectedRecord, Simulator, StreamName } from '../../src/simulator/index.ts';

type Rec = Record<string, unknown>;
type Style =
  | 'none'
  | 'single'
  | 'page'
  | 'offset'
  | 'cursor-top'
  | 'cursor-list'
  | 'cursor-signals'
  | 'cursor-items';

interface Spec {
  path: string;
  style: Style;
  key: string;
  limit?: number;
  params?: Record<string, string>;
  /** How the partition reaches the request. */
  via?: 'path' | 'taskId' | 'groupBy';
  parent?: StreamName;
}

export const SPECS: Record<StreamName, Spec> = {
  account: { path: '/api/account', style: 'single', key: 'account' },
  campaigns: { path: '/api/campaigns', style: 'none', key: 'campaigns' },
  campaign_sequence_nodes: {
    path: '/api/campaigns/{id}',
    style: 'none',
    key: 'sequence_nodes',
    via: 'path',
    parent: 'campaigns',
  },
  campaign_leads: {
    path: '/api/campaigns/{id}/leads',
    style: 'page',
    key: 'prospects',
    limit: 200,
    via: 'path',
    parent: 'campaigns',
  },
  campaign_senders: {
    path: '/api/campaigns/{id}/senders',
    style: 'none',
    key: 'senders',
    via: 'path',
    parent: 'campaigns',
  },
  campaign_messages: {
    path: '/api/campaigns/{id}/generate-messages',
    style: 'none',
    key: 'messages',
    params: { status: 'all' },
    via: 'path',
    parent: 'campaigns',
  },
  threads: {
    path: '/api/threads',
    style: 'page',
    key: 'threads',
    limit: 100,
    params: { status: 'active,archived,draft,warmup' },
  },
  thread_messages: {
    path: '/api/threads/{id}/messages',
    style: 'page',
    key: 'messages',
    limit: 200,
    via: 'path',
    parent: 'threads',
  },
  leads: { path: '/api/leads', style: 'cursor-top', key: 'leads', limit: 100 },
  lists: { path: '/api/lists', style: 'none', key: 'lists' },
  list_leads: {
    path: '/api/lists/{id}/leads',
    style: 'cursor-list',
    key: 'leads',
    limit: 500,
    via: 'path',
    parent: 'lists',
  },
  lead_search_tasks: { path: '/api/leads/search', style: 'none', key: 'tasks' },
  lead_search_results: {
    path: '/api/leads/search/results',
    style: 'offset',
    key: 'results',
    limit: 100,
    via: 'taskId',
    parent: 'lead_search_tasks',
  },
  signals: { path: '/api/signals', style: 'cursor-signals', key: 'signals', limit: 100 },
  signal_types: { path: '/api/signals/types', style: 'none', key: 'types' },
  signal_leads: {
    path: '/api/signals/leads',
    style: 'cursor-signals',
    key: 'leads',
    limit: 100,
    via: 'groupBy',
  },
  signal_searches: { path: '/api/signals/search', style: 'cursor-signals', key: 'searches', limit: 100 },
  enrichments: { path: '/api/enrichments', style: 'none', key: 'enrichments' },
  enrichment_runs: { path: '/api/enrichment/{id}', style: 'single', key: 'run', via: 'path' },
  enrichment_items: {
    path: '/api/enrichment/{id}/items',
    style: 'cursor-items',
    key: 'items',
    limit: 100,
    via: 'path',
  },
  senders: { path: '/api/senders', style: 'none', key: 'accounts' },
  email_accounts: { path: '/api/email/accounts', style: 'none', key: 'accounts' },
  email_domains: { path: '/api/email/domains', style: 'none', key: 'domains', params: { skip_sync: 'true' } },
  research_people: { path: '/api/v1/research', style: 'none', key: 'people' },
  signal_keywords: {
    path: '/api/signals/analytics',
    style: 'cursor-signals',
    key: 'keywords',
    limit: 100,
    params: { type: 'keywords' },
  },
  signal_type_sources: {
    path: '/api/v1/signals/types/{id}/sources',
    style: 'none',
    key: 'sources',
    via: 'path',
    parent: 'signal_types',
  },
  source_configs: { path: '/api/v1/sources/config', style: 'none', key: 'configs' },
  campaign_account_usage: {
    path: '/api/campaigns/{id}/account-usage',
    style: 'none',
    key: 'accounts',
    via: 'path',
    parent: 'campaigns',
  },
  sender_limits: { path: '/api/campaigns/settings', style: 'none', key: 'accounts' },
  campaign_weekly_stats: { path: '/api/dashboard/analytics', style: 'none', key: 'weekly' },
  list_messages: {
    path: '/api/lists/{id}/messages',
    style: 'none',
    key: 'messages',
    via: 'path',
    parent: 'lists',
  },
};

/** The field naming a record inside its partition, where it is not `id`. */
const ID_FIELD: Partial<Record<StreamName, string>> = {
  campaign_senders: 'account_id',
  campaign_account_usage: 'account_id',
  signal_type_sources: 'source_id',
  source_configs: 'source_id',
  campaign_weekly_stats: 'week_start',
};

export async function getJson(
  sim: Simulator,
  path: string,
  key = sim.keys[0] as string,
): Promise<{ status: number; body: Rec; headers: Headers }> {
  const res = await fetch(sim.url + path, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Rec) : {}, headers: res.headers };
}

function requestPath(spec: Spec, partition: string, q: Record<string, string>): string {
  const params = new URLSearchParams({ ...spec.params, ...q });
  if (spec.via === 'taskId') params.set('taskId', partition);
  if (spec.via === 'groupBy') params.set('groupBy', partition);
  const path = spec.path.replace('{id}', encodeURIComponent(partition));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Every page of one partition; returns the records and how many requests it took. */
export async function walkPartition(
  sim: Simulator,
  stream: StreamName,
  partition: string,
  limit?: number,
): Promise<{ records: Rec[]; pages: number }> {
  const spec = SPECS[stream];
  const lim = String(limit ?? spec.limit ?? 50);
  const records: Rec[] = [];
  let pages = 0;
  const fetchPage = async (q: Record<string, string>) => {
    pages++;
    if (pages > 100_000) throw new Error(`${stream}: walk does not terminate`);
    const { status, body } = await getJson(sim, requestPath(spec, partition, q));
    if (status !== 200) throw new Error(`${stream} ${partition}: HTTP ${status} ${JSON.stringify(body)}`);
    return body;
  };
  switch (spec.style) {
    case 'single':
      records.push((await fetchPage({}))[spec.key] as Rec);
      break;
    case 'none':
      records.push(...((await fetchPage({}))[spec.key] as Rec[]));
      break;
    case 'page':
      for (let page = 1; ; page++) {
        const body = await fetchPage({ page: String(page), limit: lim });
        const rows = body[spec.key] as Rec[];
        records.push(...rows);
        if (rows.length === 0 || page * Number(body.limit) >= Number(body.total)) break;
      }
      break;
    case 'offset':
      for (let offset = 0; ; ) {
        const body = await fetchPage({ offset: String(offset), limit: lim });
        const rows = body[spec.key] as Rec[];
        records.push(...rows);
        offset += rows.length;
        if (rows.length === 0 || offset >= Number(body.total)) break;
      }
      break;
    default:
      for (let cursor: string | null = null; ; ) {
        const body: Rec = await fetchPage(cursor ? { cursor, limit: lim } : { limit: lim });
        records.push(...(body[spec.key] as Rec[]));
        const next: string | null =
          spec.style === 'cursor-signals'
            ? (body.pagination as Rec).hasMore
              ? ((body.pagination as Rec).cursor as string)
              : null
            : spec.style === 'cursor-items'
              ? (body.page as Rec).hasMore
                ? ((body.page as Rec).nextCursor as string)
                : null
              : spec.style === 'cursor-list'
                ? body.hasMore
                  ? (body.nextCursor as string)
                  : null
                : (body.nextCursor as string | null);
        if (!next) break;
        if (next === cursor) throw new Error(`${stream}: repeated cursor`);
        cursor = next;
      }
  }
  return { records, pages };
}

/** The partitions of a stream, discovered over HTTP like a sync would (runs come from config). */
export async function discoverPartitions(sim: Simulator, stream: StreamName): Promise<string[]> {
  const spec = SPECS[stream];
  if (stream === 'enrichment_runs' || stream === 'enrichment_items') return [...sim.enrichmentRunIds];
  if (spec.via === 'groupBy') return ['person', 'company'];
  if (!spec.parent) return [''];
  const { records } = await walkPartition(sim, spec.parent, '');
  return records
    .filter((r) => stream !== 'lead_search_results' || r.status === 'completed')
    .map((r) => String(r.id));
}

export async function walkStream(sim: Simulator, stream: StreamName): Promise<ExpectedRecord[]> {
  const out: ExpectedRecord[] = [];
  for (const partition of await discoverPartitions(sim, stream)) {
    const { records } = await walkPartition(sim, stream, partition);
    for (const record of records) out.push({ partition, record });
  }
  return out;
}

export function pkOf(stream: StreamName, e: ExpectedRecord): string {
  return `${e.partition}|${String(e.record[ID_FIELD[stream] ?? 'id'])}`;
}
