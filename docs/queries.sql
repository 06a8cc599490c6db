-- Ready-made queries over the puffle-sync warehouse (see docs/schema.md).
--
-- Each query starts with a `-- name:` line; test/ecosystem/queries.test.ts runs every one of them
-- against a database synced from the simulator, so they stay valid as the schema evolves.
-- Most read the clean views in schema "puffle_analytics": live rows only, and no rows of a deleted
-- parent (a deleted campaign's prospects), so no `_deleted_at` filters are needed. The few that
-- need deleted rows or the bookkeeping read the tables in schema "puffle".
-- Weeks start on Monday (date_trunc('week')), in UTC.


-- name: campaign_reply_rate_by_week
-- Reply rate per campaign and week: of the prospects added that week and contacted (anything past
-- `pending`, not `cancelled`), the share that replied.
select
  c.id as campaign_id,
  c.name as campaign,
  c.type as channel,
  date_trunc('week', l.created_at)::date as week,
  count(*) filter (where l.status not in ('pending', 'cancelled')) as contacted,
  count(*) filter (where l.replied_at is not null or l.status = 'replied') as replied,
  round(
    100.0 * count(*) filter (where l.replied_at is not null or l.status = 'replied')
      / nullif(count(*) filter (where l.status not in ('pending', 'cancelled')), 0),
    1
  ) as reply_rate_pct
from puffle_analytics.campaigns c
join puffle_analytics.campaign_leads l on l.campaign_id = c.id
group by c.id, c.name, c.type, date_trunc('week', l.created_at)
order by week desc, campaign;


-- name: prospects_per_status
-- Where prospects are in each campaign: count and share per status.
select
  c.id as campaign_id,
  c.name as campaign,
  c.status as campaign_status,
  l.status as prospect_status,
  count(*) as prospects,
  round(100.0 * count(*) / sum(count(*)) over (partition by c.id), 1) as pct_of_campaign
from puffle_analytics.campaign_leads l
join puffle_analytics.campaigns c on c.id = l.campaign_id
group by c.id, c.name, c.status, l.status
order by campaign, prospects desc;


-- name: signals_per_type_per_week
-- Buying signals per type and week, with their mean score and how many companies they concern.
-- Signals stay here after Puffle's one-year cleanup, so this goes back as far as the first sync.
select
  date_trunc('week', s.created_at)::date as week,
  coalesce(t.label, s.signal_type_label, s.signal_type, 'unknown') as signal_type,
  count(*) as signals,
  round(avg(s.score)::numeric, 1) as avg_score,
  count(distinct coalesce(s.entity_id, s.entity ->> 'id')) as companies
from puffle_analytics.signals s
left join puffle_analytics.signal_types t on t.id = s.signal_type_id
group by 1, 2
order by week desc, signals desc;


-- name: thread_response_times
-- How fast you answer: for each inbound message that opens a turn (the previous message in the
-- thread was not inbound), the time to the next outbound message in the same thread. Unanswered
-- turns count in `turns` but not in the times.
with ordered as (
  select
    m.thread_id,
    m.direction,
    m.sent_at,
    lag(m.direction) over (partition by m.thread_id order by m.sent_at, m.id) as previous_direction
  from puffle_analytics.thread_messages m
  where m.sent_at is not null
),
turns as (
  select thread_id, sent_at
  from ordered
  where direction = 'inbound' and previous_direction is distinct from 'inbound'
)
select
  th.channel,
  date_trunc('week', t.sent_at)::date as week,
  count(*) as turns,
  count(a.answered_at) as answered,
  round((percentile_cont(0.5) within group (order by extract(epoch from a.answered_at - t.sent_at)) / 3600)::numeric, 2)
    as median_hours_to_answer,
  round((avg(extract(epoch from a.answered_at - t.sent_at)) / 3600)::numeric, 2) as avg_hours_to_answer
from turns t
join puffle_analytics.threads th on th.id = t.thread_id
left join lateral (
  select min(o.sent_at) as answered_at
  from puffle_analytics.thread_messages o
  where o.thread_id = t.thread_id and o.direction = 'outbound' and o.sent_at > t.sent_at
) a on true
group by th.channel, date_trunc('week', t.sent_at)
order by week desc, th.channel;


-- name: list_growth
-- Size of each list week by week. Puffle does not say when a lead joined a list, so a membership
-- counts from the lead's creation week; removals count from the week the sync saw them gone
-- (which is why this one reads the table: the view hides removed memberships).
with events as (
  select list_id, date_trunc('week', created_at)::date as week, 1 as added, 0 as removed
  from puffle.list_leads
  where created_at is not null
  union all
  select list_id, date_trunc('week', _deleted_at)::date, 0, 1
  from puffle.list_leads
  where _deleted_at is not null
)
select
  l.id as list_id,
  l.name as list,
  e.week,
  sum(e.added) as added,
  sum(e.removed) as removed,
  sum(sum(e.added) - sum(e.removed)) over (partition by l.id order by e.week) as size_at_week_end
from events e
join puffle_analytics.lists l on l.id = e.list_id
group by l.id, l.name, e.week
order by list, week;


-- name: freshness
-- Is the data fresh? The view answers per stream: last successful sync, its age, the rows its view
-- shows, soft-deleted rows, and how the newest run ended. Stale or never-synced streams first.
select *
from puffle_analytics.freshness
order by last_success_at nulls first, stream;


-- name: sync_freshness
-- The same from the run history, with the newest error and totals over every run. A stream whose
-- last_success is old or null needs a look (see docs/running-in-production.md).
select
  r.stream,
  max(r.finished_at) filter (where r.status = 'succeeded') as last_success,
  date_trunc('second', now() - max(r.finished_at) filter (where r.status = 'succeeded')) as age,
  (array_agg(r.status order by r.started_at desc))[1] as newest_status,
  (array_agg(r.error_class order by r.started_at desc))[1] as newest_error,
  sum(r.records_read) as records_read_all_runs,
  sum(r.rate_limited) as rate_limited_all_runs
from puffle.sync_runs r
where r.stream <> '*'
group by r.stream
order by last_success nulls first, r.stream;


-- name: recent_runs
-- The last 20 sync runs: trigger, outcome, duration and what they changed.
select
  r.run_id,
  r.trigger,
  r.status,
  r.started_at,
  date_trunc('second', r.finished_at - r.started_at) as duration,
  r.records_read,
  r.inserted,
  r.updated,
  r.deleted,
  r.rejected,
  r.requests,
  r.rate_limited,
  round(r.rate_limit_wait_seconds::numeric, 1) as rate_limit_wait_seconds,
  r.error_class
from puffle.sync_runs r
where r.stream = '*'
order by r.started_at desc
limit 20;


-- name: sender_daily_usage
-- Daily sends against the daily limit, per sender and UTC day: the data of a usage chart (x = day,
-- one line per sender, the limit as a ceiling). From campaign_account_usage, which every sync
-- records for the day it runs and `backfill --streams campaign_account_usage` fills for past days.
-- A sender's sends and limit are its own, so each campaign it sends for reports the same figures.
select
  u.date as day,
  u.account_id,
  coalesce(s.display_name, u.email, u.account_id) as sender,
  max(u.sent_today) as sent,
  max(u.daily_limit) as daily_limit,
  round(100.0 * max(u.sent_today) / nullif(max(u.daily_limit), 0), 1) as pct_of_limit,
  count(distinct u.campaign_id) as campaigns
from puffle_analytics.campaign_account_usage u
left join puffle_analytics.senders s on s.id = u.account_id
group by u.date, u.account_id, s.display_name, u.email
order by day, sender;
