/** Record generators: account, senders, inboxes, domains, campaigns and their children. */
import type { Rec } from './collection.ts';
import { TITLES } from './pools.ts';
import { iso } from './rng.ts';
import type { World } from './world.ts';

const HOUR = 3_600_000;

export function account(w: World): Rec {
  const r = w.rng(0xa0, 0);
  const p = w.person(r);
  return { id: w.userId, email: w.email(p.first, p.last, 'puffle-customer.example'), fullName: p.full };
}

export function accountProfile(acc: Rec): Rec {
  const [firstName, ...rest] = String(acc.fullName ?? '').split(' ');
  return { firstName: firstName ?? null, lastName: rest.join(' ') || null };
}

export function senderType(i: number): 'email' | 'linkedin' {
  return i % 3 === 2 ? 'linkedin' : 'email';
}

export function sender(w: World, i: number): Rec {
  const r = w.senders.rng(i, 1);
  const p = w.person(r);
  const type = senderType(i);
  const created = w.senders.createdMs(i);
  const d = i % w.sizes.emailDomains;
  const domain = `mail${d + 1}.puffle-customer.example`;
  const isEmail = type === 'email';
  return {
    id: w.senders.id(i),
    user_id: w.userId,
    type,
    display_name: p.full,
    status: r.pick(['active', 'active', 'active', 'paused', 'disconnected']),
    created_at: iso(created),
    updated_at: iso(created + r.int(1, 90) * 24 * HOUR),
    provider_account_id: isEmail ? null : `unipile_${r.hex(10)}`,
    profile_url: isEmail ? null : `https://www.linkedin.com/in/${r.hex(8)}`,
    is_premium: isEmail ? null : r.bool(0.4),
    has_sales_navigator: isEmail ? null : r.bool(0.2),
    weekly_connection_limit: isEmail ? null : 100,
    weekly_message_limit: isEmail ? null : 150,
    email_address: isEmail ? w.email(p.first, p.last, domain) : null,
    domain_id: isEmail ? w.domains.id(d) : null,
    agentmail_inbox_id: isEmail ? `inbox_${r.hex(12)}` : null,
    instantly_account_id: isEmail ? r.maybe(`ia_${r.hex(10)}`) : null,
    warmup_status: isEmail ? r.pick(['not_started', 'warming', 'warm', 'paused']) : null,
    first_name: p.first,
    last_name: p.last,
    signature: r.maybe(`— ${p.full}`, 0.5),
    daily_limit: r.pick([30, 40, 50]),
    instantly_tag_id: null,
    instantly_warmup_tag_id: null,
    email_domains: isEmail ? { id: w.domains.id(d), domain, status: 'verified' } : null,
  };
}

export function emailDomain(w: World, i: number): Rec {
  const r = w.domains.rng(i, 1);
  const created = w.domains.createdMs(i);
  const domain = `mail${i + 1}.puffle-customer.example`;
  const status = r.pick(['verified', 'verified', 'verified', 'pending', 'verifying', 'failed']);
  return {
    id: w.domains.id(i),
    user_id: w.userId,
    domain,
    agentmail_domain_id: `amd_${r.hex(10)}`,
    status,
    dns_records: [
      { type: 'MX', name: domain, value: 'mx.agentmail.example', priority: 10 },
      { type: 'TXT', name: domain, value: 'v=spf1 include:agentmail.example ~all', priority: null },
    ],
    verified_at: status === 'verified' ? iso(created + 2 * HOUR) : null,
    created_at: iso(created),
    updated_at: iso(created + 3 * HOUR),
  };
}

function senderSummary(w: World, i: number): Rec {
  const s = sender(w, i);
  return {
    id: s.id,
    type: s.type,
    email_address: s.email_address,
    provider_account_id: s.provider_account_id,
    display_name: s.display_name,
    status: s.status,
    first_name: s.first_name,
    last_name: s.last_name,
    daily_limit: s.daily_limit,
    weekly_connection_limit: s.weekly_connection_limit,
    weekly_message_limit: s.weekly_message_limit,
    is_premium: s.is_premium,
  };
}

export function campaignSenderIndexes(w: World, c: number): number[] {
  const S = w.sizes.senders;
  const m = w.rng(0x55, c).int(1, Math.min(3, S));
  return Array.from({ length: m }, (_, k) => (c + k) % S);
}

export function campaign(w: World, c: number): Rec {
  const r = w.campaigns.rng(c, 1);
  const created = w.campaigns.createdMs(c);
  const total = w.prospectSeg.size(c);
  const type = c % 2 === 0 ? 'email' : 'linkedin';
  const status = total === 0 ? 'draft' : r.pick(['active', 'active', 'paused', 'completed', 'launching']);
  const sent = Math.floor(total * r.float());
  const replied = Math.floor(sent * r.float() * 0.3);
  return {
    id: w.campaigns.id(c),
    user_id: w.userId,
    type,
    name: `${r.pick(['Outbound', 'Re-engage', 'Founders', 'Nordics ✦', 'Événements', 'Series A'])} ${c + 1}`,
    status,
    daily_limit: r.pick([20, 30, 50]),
    stop_on_reply: r.bool(0.8),
    open_tracking: type === 'email' ? r.bool(0.5) : false,
    signature: r.maybe('Best,\nThe team', 0.4),
    skip_other_campaigns: r.maybe(r.bool(), 0.3),
    operating_hours: r.maybe(
      { timezone: 'Europe/Berlin', start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
      0.4,
    ),
    stats: {
      total,
      sent,
      replied,
      bounced: type === 'email' ? Math.floor(sent * 0.02) : 0,
      completed: Math.floor(sent / 3),
      timed_out: 0,
      connection_sent: type === 'linkedin' ? sent : 0,
      connected: type === 'linkedin' ? Math.floor(sent / 2) : 0,
      message_sent: type === 'linkedin' ? Math.floor(sent / 2) : 0,
      contacted: sent,
    },
    created_at: iso(created),
    updated_at: iso(created + r.int(1, 200) * HOUR),
    sender_accounts: campaignSenderIndexes(w, c).map((i) => senderSummary(w, i)),
    node_count: w.nodeSeg.size(c),
  };
}

const NODE_TYPES = {
  email: ['email', 'delay', 'email', 'ai', 'email'],
  linkedin: ['connection_request', 'delay', 'message', 'ai', 'message'],
};

export function sequenceNode(w: World, g: number): Rec {
  const c = w.nodeSeg.parentOf(g);
  const k = g - w.nodeSeg.start(c);
  const last = k === w.nodeSeg.size(c) - 1;
  const r = w.nodes.rng(g, 1);
  const type = last ? 'end' : (NODE_TYPES[c % 2 === 0 ? 'email' : 'linkedin'][k] ?? 'message');
  const text = type === 'email' || type === 'message' || type === 'connection_request';
  return {
    id: w.nodes.id(g),
    campaign_id: w.campaigns.id(c),
    position: k,
    type,
    subject: type === 'email' ? `Quick question, {{first_name}} — step ${k + 1}` : null,
    body: text ? `Hi {{first_name}}, noticed {{company}} is growing… (${k + 1})` : null,
    body_html: type === 'email' ? `<p>Hi {{first_name}}, step ${k + 1}</p>` : null,
    signature: null,
    from_name: type === 'email' ? 'Sales team' : null,
    reply_to: null,
    cc: null,
    bcc: null,
    attachments: [],
    include_message: type === 'connection_request' ? r.bool() : false,
    is_reply: k > 0 && type === 'email',
    delay_days: type === 'delay' ? r.int(1, 4) : null,
    delay_hours: type === 'delay' ? 0 : null,
    delay_minutes: type === 'delay' ? 0 : null,
    ai_node: type === 'ai' ? { purpose: 'personalise opener', output_type: 'text' } : null,
  };
}

const PROSPECT_STATUSES = [
  'pending',
  'sent',
  'connection_sent',
  'connected',
  'message_sent',
  'replied',
  'bounced',
  'completed',
  'timed_out',
  'cancelled',
];

export function prospect(w: World, g: number): Rec {
  const c = w.prospectSeg.parentOf(g);
  const r = w.prospects.rng(g, 1);
  const p = w.person(r);
  const co = w.company(r);
  const created = w.prospects.createdMs(g);
  const status = r.pick(PROSPECT_STATUSES);
  const nodes = w.nodeSeg.size(c);
  return {
    id: w.prospects.id(g),
    campaign_id: w.campaigns.id(c),
    user_id: w.userId,
    status,
    email:
      c % 2 === 0 ? w.email(p.first, p.last, co.domain) : r.maybe(w.email(p.first, p.last, co.domain), 0.6),
    linkedin_url:
      c % 2 === 1
        ? `https://www.linkedin.com/in/${r.hex(10)}`
        : r.maybe(`https://www.linkedin.com/in/${r.hex(10)}`),
    first_name: p.first,
    last_name: p.last,
    name: p.full,
    company: co.name,
    position: r.pick(TITLES),
    headline: r.maybe(`${r.pick(TITLES)} at ${co.name}`, 0.3),
    custom_fields: r.maybe(
      { tier: r.pick(['A', 'B', 'C']), notes: r.maybe('met at SaaStr — très intéressé') },
      0.4,
    ),
    source: r.pick(['api', 'csv', 'list', 'lead_search']),
    source_ref: r.maybe(`ref_${r.hex(6)}`, 0.5),
    created_at: iso(created),
    updated_at: iso(created + r.int(0, 72) * HOUR),
    bounced_at: status === 'bounced' ? iso(created + 30 * HOUR) : null,
    replied_at: status === 'replied' ? iso(created + 50 * HOUR) : null,
    current_node_id:
      nodes > 0 && status !== 'pending' ? w.nodes.id(w.nodeSeg.start(c) + r.int(0, nodes - 1)) : null,
  };
}

export function campaignSender(w: World, c: number, k: number): Rec {
  const i = campaignSenderIndexes(w, c)[k] as number;
  const s = sender(w, i);
  const r = w.rng(0x56, c, k);
  const week = r.int(0, 80);
  return {
    account_id: s.id,
    display_name: s.display_name,
    email_address: s.email_address,
    profile_url: s.profile_url,
    status: s.status,
    type: s.type,
    is_premium: s.is_premium,
    warmup_status: s.warmup_status,
    weekly_connection_limit: s.type === 'linkedin' ? 80 : null,
    weekly_message_limit: s.type === 'linkedin' ? 100 : null,
    daily_limit: 30,
    weekly_connections_sent: s.type === 'linkedin' ? week : 0,
    weekly_messages_sent: r.int(0, week),
    committed_count: r.int(0, 10),
    campaign_messages_sent: r.int(0, 500),
    today_sent: r.int(0, 30),
  };
}

export function campaignMessage(w: World, g: number): Rec {
  const c = w.messageSeg.parentOf(g);
  const k = g - w.messageSeg.start(c);
  const r = w.messages.rng(g, 1);
  const nodes = w.nodeSeg.size(c);
  return {
    id: w.messages.id(g),
    campaign_id: w.campaigns.id(c),
    prospect_id: w.prospects.id(w.prospectSeg.start(c) + k),
    node_id: w.nodes.id(w.nodeSeg.start(c) + (k % Math.max(1, nodes - 1))),
    subject: c % 2 === 0 ? `Idea for your team (${k + 1})` : null,
    body_text: `Hi there — a thought about your Q${(k % 4) + 1} plans. ¿Hablamos?`,
    body_html: c % 2 === 0 ? '<p>Hi there — a thought about your plans.</p>' : null,
    status: r.pick(['draft', 'draft', 'pending', 'sent']),
    manually_edited: r.bool(0.1),
    created_at: iso(w.messages.createdMs(g)),
  };
}
