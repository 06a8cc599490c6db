/**
 * Puffle's GET endpoints as the docs describe them (docs/puffle-api.md, current shapes), over
 * the dataset. `sideEffect` marks the endpoints docs/puffle-api.md says are never called: they are served, with
 * their side effect, and counted.
 */
import { randomBytes } from 'node:crypto';
import type { Rec } from '../data/collection.ts';
import { LISTED_TASKS } from '../data/dataset.ts';
import { accountProfile } from '../data/gen-sales.ts';
import { ApiError, invalid, notFound } from '../errors/api-error.ts';
import {
  decodeCursor,
  encodeCursor,
  enumParam,
  type Filter,
  keysetPage,
  limitParam,
  offsetParam,
  offsetSlice,
  sinceParam,
} from './paging.ts';
import {
  all,
  byType,
  coll,
  pageResponse,
  type RouteContext,
  signalsCursor,
  threadDetail,
  threadFilter,
  v1Signal,
} from './responders.ts';
import { accountUsage, campaignSettings, dashboardAnalytics, signalAnalytics } from './usage-responders.ts';

export type { RouteContext };

export interface Route {
  pattern: RegExp;
  sideEffect?: (ctx: RouteContext) => boolean;
  handle: (ctx: RouteContext) => Rec;
}

const ID = '([^/]+)';
const route = (path: string, handle: Route['handle'], sideEffect?: Route['sideEffect']): Route => ({
  pattern: new RegExp(`^${path.replace(/\{id\}/g, ID)}/?$`),
  handle,
  sideEffect,
});

export const ROUTES: Route[] = [
  route('/api/account', ({ ds }) => {
    const acc = coll(ds, 'account').slice(0, 1)[0] as Rec;
    return { account: acc, profile: accountProfile(acc), canManageAuth: true };
  }),
  route('/api/campaigns', ({ ds }) => ({ campaigns: all(coll(ds, 'campaigns')) })),
  // Before `/api/campaigns/{id}`, which would take `settings` for an id.
  route('/api/campaigns/settings', campaignSettings),
  route('/api/campaigns/{id}', ({ ds, p }) => {
    const id = p[0] as string;
    const campaign = coll(ds, 'campaigns').get(id)?.record;
    if (!campaign) throw notFound(`campaign ${id}`);
    const nodes = all(coll(ds, 'campaign_sequence_nodes', id));
    const byStatus: Record<string, number> = {};
    const byNode: Record<string, number> = {};
    for (const { record } of coll(ds, 'campaign_leads', id).iterate()) {
      const s = String(record.status);
      byStatus[s] = (byStatus[s] ?? 0) + 1;
      const n = record.current_node_id === null ? '__none__' : String(record.current_node_id);
      byNode[n] = (byNode[n] ?? 0) + 1;
    }
    return { campaign, sequence_nodes: nodes, prospects_by_status: byStatus, prospects_by_node: byNode };
  }),
  route('/api/campaigns/{id}/leads', (ctx) => {
    const status = ctx.q.get('status');
    return pageResponse(
      'prospects',
      coll(ctx.ds, 'campaign_leads', ctx.p[0]),
      ctx,
      50,
      200,
      status ? (r) => r.status === status : undefined,
    );
  }),
  route('/api/campaigns/{id}/senders', ({ ds, p }) => ({ senders: all(coll(ds, 'campaign_senders', p[0])) })),
  route('/api/campaigns/{id}/generate-messages', ({ ds, p, q }) => {
    const status = enumParam(q, 'status', ['draft', 'pending', 'sent', 'all'] as const, 'draft');
    const prospect = q.get('prospect_id');
    return {
      messages: all(
        coll(ds, 'campaign_messages', p[0]),
        (r) => (status === 'all' || r.status === status) && (!prospect || r.prospect_id === prospect),
      ),
    };
  }),
  route('/api/threads', (ctx) =>
    pageResponse('threads', coll(ctx.ds, 'threads'), ctx, 50, 100, threadFilter(ctx.q)),
  ),
  route('/api/threads/{id}/messages', (ctx) =>
    pageResponse('messages', coll(ctx.ds, 'thread_messages', ctx.p[0]), ctx, 50, 200),
  ),
  route(
    '/api/threads/{id}',
    (ctx) => threadDetail(ctx, 'thread'),
    () => true,
  ),
  route(
    '/api/conversations/{id}',
    (ctx) => threadDetail(ctx, 'conversation'),
    () => true,
  ),
  route('/api/leads', ({ ds, q }) => {
    const c = coll(ds, 'leads');
    const one = q.get('id');
    if (one) {
      const found = c.get(one)?.record;
      if (!found) throw notFound(`lead ${one}`);
      return { leads: [found], nextCursor: null };
    }
    const pg = keysetPage(c, decodeCursor(q), limitParam(q, 50, 100), byType(q));
    return {
      leads: pg.records,
      nextCursor: pg.hasMore && pg.lastKey !== undefined ? encodeCursor(pg.lastKey) : null,
    };
  }),
  route('/api/leads/search', ({ ds, q }) => {
    const c = coll(ds, 'lead_search_tasks');
    const taskId = q.get('taskId');
    if (taskId) {
      const t = c.get(taskId)?.record;
      if (!t) throw notFound(`lead search task ${taskId}`);
      return { tasks: [t] };
    }
    return { tasks: c.slice(0, LISTED_TASKS) };
  }),
  route('/api/leads/search/results', ({ ds, q }) => {
    const taskId = q.get('taskId');
    if (!taskId) throw invalid('taskId is required');
    const task = coll(ds, 'lead_search_tasks').get(taskId)?.record;
    if (!task) throw notFound(`lead search task ${taskId}`);
    if (task.status !== 'completed')
      throw new ApiError(409, 'conflict', `lead search task ${taskId} is ${task.status}, not completed`);
    const limit = limitParam(q, 50, 100);
    const offset = offsetParam(q);
    const { records, total } = offsetSlice(coll(ds, 'lead_search_results', taskId), offset, limit);
    return { results: records, total, offset, limit };
  }),
  route('/api/lists', ({ ds }) => ({ lists: all(coll(ds, 'lists')) })),
  route('/api/lists/{id}/leads', ({ ds, p, q }) => {
    const c = coll(ds, 'list_leads', p[0]);
    const filter = byType(q);
    const pg = keysetPage(c, decodeCursor(q), limitParam(q, 100, 500), filter);
    const total = filter ? all(c, filter).length : c.size;
    return {
      leads: pg.records,
      total,
      hasMore: pg.hasMore,
      nextCursor: pg.hasMore && pg.lastKey !== undefined ? encodeCursor(pg.lastKey) : null,
    };
  }),
  route('/api/signals', (ctx) => {
    const since = sinceParam(ctx.q);
    const before: Filter | undefined =
      since === undefined ? undefined : (r) => Date.parse(String(r.createdAt)) < since;
    return signalsCursor('signals', coll(ctx.ds, 'signals'), ctx, undefined, before);
  }),
  route('/api/v1/signals', (ctx) => {
    const since = sinceParam(ctx.q);
    const before: Filter | undefined =
      since === undefined ? undefined : (r) => Date.parse(String(r.createdAt)) < since;
    const body = signalsCursor('signals', coll(ctx.ds, 'signals'), ctx, undefined, before, true);
    body.signals = (body.signals as Rec[]).map(v1Signal);
    return body;
  }),
  route('/api/signals/types', ({ ds }) => ({ types: all(coll(ds, 'signal_types')) })),
  route('/api/v1/signals/types', ({ ds }) => ({ signal_types: all(coll(ds, 'signal_types')) })),
  route('/api/signals/leads', (ctx) => {
    const groupBy = enumParam(ctx.q, 'groupBy', ['person', 'company'] as const, 'person');
    return signalsCursor('leads', coll(ctx.ds, 'signal_leads', groupBy), ctx);
  }),
  route('/api/signals/search', (ctx) => {
    const ids = ctx.q.get('ids');
    if (ids) {
      const c = coll(ctx.ds, 'signal_searches');
      return { searches: ids.split(',').flatMap((id) => c.get(id.trim())?.record ?? []) };
    }
    return signalsCursor('searches', coll(ctx.ds, 'signal_searches'), ctx);
  }),
  route('/api/enrichments', ({ ds, q }) => {
    const slug = q.get('id');
    return {
      enrichments: all(coll(ds, 'enrichments'), slug ? (r) => r.slug === slug || r.id === slug : undefined),
    };
  }),
  route('/api/enrichment/{id}', ({ ds, p }) => {
    const run = coll(ds, 'enrichment_runs').get(p[0] as string)?.record;
    if (!run) throw notFound(`enrichment run ${p[0]}`);
    return { run };
  }),
  route('/api/enrichment/{id}/items', ({ ds, p, q }) => {
    const c = coll(ds, 'enrichment_items', p[0]);
    const limit = limitParam(q, 50, 100);
    const raw = q.get('cursor');
    let after: number | undefined;
    if (raw) {
      after = c.keyOf(raw);
      if (after === undefined) throw invalid('cursor is not valid');
    }
    const status = q.get('status');
    const leadId = q.get('leadId');
    const pg = keysetPage(
      c,
      after,
      limit,
      (r) => (!status || r.status === status) && (!leadId || r.leadId === leadId),
    );
    return {
      items: pg.records,
      page: {
        limit,
        nextCursor: pg.hasMore && pg.lastRecord ? String(pg.lastRecord.id) : null,
        hasMore: pg.hasMore,
      },
    };
  }),
  route('/api/senders', ({ ds }) => ({ accounts: all(coll(ds, 'senders')) })),
  route('/api/email/accounts', ({ ds }) => ({ accounts: all(coll(ds, 'email_accounts')) })),
  route(
    '/api/email/accounts/warmup-analytics',
    ({ ds }) => {
      const transitions = ds.applyWarmupTransitions();
      const analytics: Record<string, Rec> = {};
      for (const a of all(coll(ds, 'email_accounts'))) {
        analytics[String(a.id)] = {
          email: a.email_address,
          total_sent: 120,
          total_received: 118,
          health_score: 97,
          health_score_label: 'excellent',
          warmup_reputation: 'good',
          instantly_warmup_status: a.warmup_status,
          daily_data: [],
        };
      }
      return { analytics, transitions };
    },
    () => true,
  ),
  route(
    '/api/email/domains',
    ({ ds, q }) => {
      if (q.get('skip_sync') !== 'true') ds.refreshDomains();
      return { domains: all(coll(ds, 'email_domains')) };
    },
    ({ q }) => q.get('skip_sync') !== 'true',
  ),
  route(
    '/api/unipile/accounts',
    ({ ds }) => ({ accounts: ds.flipUnipileAccounts() }),
    () => true,
  ),
  route('/api/v1/research', ({ ds }) => ({ people: all(coll(ds, 'research_people')) })),
  // issue 15: signals and usage
  route('/api/signals/analytics', signalAnalytics),
  route('/api/v1/signals/types/{id}/sources', ({ ds, p }) => ({
    sources: all(coll(ds, 'signal_type_sources', p[0])),
  })),
  route('/api/v1/sources/config', ({ ds }) => ({ configs: all(coll(ds, 'source_configs')) })),
  route('/api/campaigns/{id}/account-usage', accountUsage),
  route('/api/dashboard/analytics', dashboardAnalytics),
  route('/api/lists/{id}/messages', ({ ds, p }) => ({ messages: all(coll(ds, 'list_messages', p[0])) })),
  // A short-lived Svix app-portal login (a read: Puffle creates nothing for it).
  route('/api/v1/partners/portal', ({ ds }) => {
    if (!ds.webhookApp) throw notFound('webhook app (revoke and re-create the API key)');
    return { url: `https://app.svix.com/app-portal/login#key=${randomBytes(24).toString('base64url')}` };
  }),
];

export function matchRoute(path: string): { route: Route; params: string[] } | undefined {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return undefined;
}
