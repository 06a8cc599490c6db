/**
 * The endpoints of signal analytics, per-type sources, saved source configs, sender usage,
 * campaign settings and the dashboard's rollups (docs/puffle-api.md §3, §4, §8).
 */
import type { Rec } from '../data/collection.ts';
import { DerivedStore } from '../data/derived-store.ts';
import { allTime, parseDay, utcDay, weeklyRollups } from '../data/gen-usage.ts';
import { invalid, notFound } from '../errors/api-error.ts';
import type { Filter } from './paging.ts';
import { all, coll, type RouteContext, signalsCursor } from './responders.ts';

/** `type=keywords` is cursor-paginated (camel `hasMore`); `type=keyword-runs` is one unpaginated list. */
export function signalAnalytics(ctx: RouteContext): Rec {
  const type = ctx.q.get('type');
  if (type !== 'keywords' && type !== 'keyword-runs') throw invalid('type must be keywords or keyword-runs');
  const typeId = ctx.q.get('signalTypeId');
  const keywordId = ctx.q.get('keywordId');
  const minScore = ctx.q.get('minScore');
  const filter: Filter = (r) =>
    (!typeId || r.signalTypeId === typeId) &&
    (!keywordId || r.id === keywordId) &&
    (!minScore || Number(r.avgScore ?? 0) >= Number(minScore));
  const keywords = coll(ctx.ds, 'signal_keywords');
  if (type === 'keywords') return signalsCursor('keywords', keywords, ctx, filter);
  const byType = new Map<string, Rec[]>();
  for (const k of all(keywords, filter))
    byType.set(String(k.signalTypeId), [...(byType.get(String(k.signalTypeId)) ?? []), k]);
  return {
    runs: [...byType].map(([signalTypeId, rows]) => ({
      id: `run_${signalTypeId.slice(-12)}`,
      signalTypeId,
      status: 'completed',
      keywordCount: rows.length,
      matchCount: rows.reduce((n, r) => n + Number(r.matchCount ?? 0), 0),
    })),
  };
}

/**
 * `date` defaults to today (UTC, by the simulator clock); anything but a real `YYYY-MM-DD` date is
 * a 400. A future date is answered, with nothing sent yet (Puffle's docs do not say otherwise).
 */
export function accountUsage({ ds, p, q }: RouteContext): Rec {
  const raw = q.get('date');
  const day = raw === null ? utcDay(ds.clock.now()) : parseDay(raw);
  if (!day) throw invalid('Invalid date. Must be YYYY-MM-DD');
  const store = ds.store('campaign_account_usage');
  const accounts = store instanceof DerivedStore ? store.on(p[0] as string, day) : undefined;
  if (!accounts) throw notFound(`campaign ${p[0]}`);
  return { accounts };
}

export function campaignSettings({ ds }: RouteContext): Rec {
  const campaigns = all(coll(ds, 'campaigns'));
  const weekly = weeklyRollups(ds.world, campaigns, ds.clock.now()).slice(0, 4);
  return {
    accounts: all(coll(ds, 'sender_limits')),
    schedules: campaigns
      .filter((c) => c.operating_hours)
      .map((c) => ({ campaign_id: c.id, operating_hours: c.operating_hours })),
    weekly_stats: weekly.map((w) => ({
      week_start: w.week_start,
      linkedin: (w.linkedin as Rec).message_sent,
      email: (w.email as Rec).sent,
    })),
  };
}

/** `campaign_ids` (comma list) narrows every figure to those campaigns. */
export function dashboardAnalytics({ ds, q }: RouteContext): Rec {
  const ids = q
    .get('campaign_ids')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const campaigns = all(coll(ds, 'campaigns'), ids ? (c) => ids.includes(String(c.id)) : undefined);
  const weekly = ids
    ? weeklyRollups(ds.world, campaigns, ds.clock.now())
    : all(coll(ds, 'campaign_weekly_stats'));
  return {
    weekly,
    allTime: allTime(weekly),
    campaigns: campaigns.map(({ id, name, type, status }) => ({ id, name, type, status })),
  };
}
