/**
 * Usage snapshots, derived at each read from the live campaigns, campaign senders and senders:
 * a sender's sends of one UTC day in a campaign (`/api/campaigns/{id}/account-usage?date=`), the
 * settings page's limits and stats (`/api/campaigns/settings`), and the dashboard's weekly
 * rollups (`/api/dashboard/analytics`). A past day's figures are a pure function of the seed, the
 * ids and the date, so reading it again (a backfill re-run) gives the same answer.
 */
import type { Rec } from './collection.ts';
import { hash, hashString, Rng } from './rng.ts';
import type { World } from './world.ts';

const DAY = 86_400_000;

/** `YYYY-MM-DD` of an epoch ms (UTC). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A real calendar date written `YYYY-MM-DD`, else undefined. */
export function parseDay(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || utcDay(ms) !== value ? undefined : value;
}

function dayRng(w: World, ...parts: string[]): Rng {
  return new Rng(hash(w.seed, 0x75a, ...parts.map(hashString)));
}

/**
 * A campaign sender's usage on `day`: the account's sends that day against its daily limit (both
 * the account's, so every campaign it sends for reports the same). Nothing is sent on a day after
 * `today` (Puffle counts the sends of that date); any other day's count is seeded by (sender, day).
 */
export function accountUsage(w: World, sender: Rec, day: string, today: string): Rec {
  const limit = typeof sender.daily_limit === 'number' ? sender.daily_limit : 30;
  const r = dayRng(w, String(sender.account_id), day);
  const sent = day > today ? 0 : r.bool(0.15) ? 0 : r.int(0, limit);
  return {
    account_id: sender.account_id,
    email: sender.email_address ?? null,
    daily_limit: limit,
    sent_today: sent,
    status: sender.status ?? null,
  };
}

/** A sender as the settings page lists it: the account, its limits and this week's / today's figures. */
export function settingsAccount(w: World, sender: Rec, now: number): Rec {
  const today = utcDay(now);
  const week = utcDay(weekStart(now));
  const r = dayRng(w, String(sender.id), week);
  const linkedin = sender.type === 'linkedin';
  const daily = typeof sender.daily_limit === 'number' ? sender.daily_limit : 30;
  const sentToday = accountUsage(w, { account_id: sender.id, daily_limit: daily }, today, today).sent_today;
  return {
    ...sender,
    limits: {
      weekly_connection_limit: sender.weekly_connection_limit ?? null,
      weekly_message_limit: sender.weekly_message_limit ?? null,
      max_daily: daily,
      max_weekly_connections: linkedin ? (sender.is_premium ? 200 : 100) : null,
      recommended_daily: linkedin ? 20 : 40,
      recommended_weekly_connections: linkedin ? 80 : null,
    },
    weekly_stats: linkedin
      ? { connections_sent: r.int(0, 80), messages_sent: r.int(0, 120) }
      : { emails_sent: r.int(0, daily * 5) },
    daily_stats: { date: today, sent: sentToday, limit: daily },
  };
}

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY) * DAY;
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY;
}

/**
 * The dashboard's weekly rows (newest first) over `campaigns`: each campaign adds its seeded
 * figures to its channel for every week from the one it was created in.
 */
export function weeklyRollups(w: World, campaigns: readonly Rec[], now: number): Rec[] {
  const rows: Rec[] = [];
  for (let k = 0; k < w.sizes.weeks; k++) {
    const start = weekStart(now) - k * 7 * DAY;
    const linkedin = { connection_sent: 0, connected: 0, message_sent: 0, replied: 0 };
    const email = { sent: 0, replied: 0, bounced: 0 };
    for (const c of campaigns) {
      if (Date.parse(String(c.created_at)) >= start + 7 * DAY) continue;
      const r = dayRng(w, String(c.id), utcDay(start));
      if (c.type === 'linkedin') {
        const sent = r.int(0, 60);
        linkedin.connection_sent += sent;
        linkedin.connected += Math.floor(sent * r.float() * 0.5);
        linkedin.message_sent += r.int(0, 40);
        linkedin.replied += r.int(0, 6);
      } else {
        const sent = r.int(0, 150);
        email.sent += sent;
        email.replied += Math.floor(sent * r.float() * 0.1);
        email.bounced += Math.floor(sent * 0.02);
      }
    }
    rows.push({ week_start: utcDay(start), linkedin, email });
  }
  return rows;
}

/** All-time figures: the weekly rows summed per channel. */
export function allTime(weekly: readonly Rec[]): Rec {
  const sum = (channel: 'linkedin' | 'email') => {
    const out: Record<string, number> = {};
    for (const row of weekly)
      for (const [k, v] of Object.entries(row[channel] as Record<string, number>)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return { linkedin: sum('linkedin'), email: sum('email') };
}
