/** Record generators: Unibox threads and their messages. */
import type { Rec } from './collection.ts';
import { iso } from './rng.ts';
import type { World } from './world.ts';

export function thread(w: World, t: number): Rec {
  const r = w.threads.rng(t, 1);
  const p = w.person(r);
  const co = w.company(r);
  const status = w.threadStatus(t);
  const n = w.threadMessageSeg.size(t);
  const created = w.threads.createdMs(t);
  const senderIdx = t % w.sizes.senders;
  const channel = senderIdx % 3 === 2 ? 'linkedin' : 'email';
  const lastDirection = n === 0 ? null : messageDirection(w, w.threadMessageSeg.start(t) + n - 1);
  const inboxState =
    status === 'archived'
      ? 'archived'
      : status === 'warmup'
        ? 'warmup'
        : status === 'draft'
          ? 'draft'
          : n === 0
            ? 'empty'
            : lastDirection === 'inbound'
              ? 'needs_reply'
              : 'active_thread';
  const lastAt = n === 0 ? null : w.threadMessageMs(t, n - 1);
  return {
    id: w.threads.id(t),
    user_id: w.userId,
    account_id: w.senders.id(senderIdx),
    channel,
    status,
    inbox_state: inboxState,
    external_id: `ext_${r.hex(14)}`,
    participant_name: p.full,
    participant_email: channel === 'email' ? w.email(p.first, p.last, co.domain) : null,
    participant_linkedin_url: channel === 'linkedin' ? `https://www.linkedin.com/in/${r.hex(10)}` : null,
    last_message_at: lastAt === null ? null : iso(lastAt),
    unread_count: lastDirection === 'inbound' ? r.int(1, 3) : 0,
    created_at: iso(created),
    updated_at: iso(lastAt ?? created),
    last_message_snippet:
      n === 0 ? null : `Thanks ${p.first}, sounds good — let's talk next week`.slice(0, 100),
    last_message_direction: lastDirection,
    participant_company: co.name,
    campaign_id: t % 4 === 0 && w.sizes.campaigns > 0 ? w.campaigns.id(t % w.sizes.campaigns) : null,
  };
}

function messageDirection(w: World, g: number): 'inbound' | 'outbound' {
  return w.threadMessages.rng(g, 2).bool(0.45) ? 'inbound' : 'outbound';
}

export function threadMessage(w: World, g: number): Rec {
  const t = w.threadMessageSeg.parentOf(g);
  const k = g - w.threadMessageSeg.start(t);
  const r = w.threadMessages.rng(g, 1);
  const direction = messageDirection(w, g);
  const sent = w.threadMessageMs(t, k);
  const th = w.threads.rng(t, 1);
  const p = w.person(th);
  return {
    id: w.threadMessages.id(g),
    user_id: w.userId,
    conversation_id: w.threads.id(t),
    campaign_id: t % 4 === 0 && w.sizes.campaigns > 0 ? w.campaigns.id(t % w.sizes.campaigns) : null,
    direction,
    message_type: 'message',
    subject: k === 0 ? 'Quick question' : `Re: Quick question`,
    body_text:
      direction === 'inbound'
        ? `Hej! Interesting — can you share pricing? (${k + 1})`
        : `Sure, here it is ✉️ (${k + 1})`,
    body_html: r.maybe(`<p>message ${k + 1}</p>`, 0.5),
    sender_name: direction === 'inbound' ? p.full : 'You',
    sender_identifier: direction === 'inbound' ? `${p.first.toLowerCase()}@example.org` : 'me',
    external_id: `msg_${r.hex(12)}`,
    sent_at: iso(sent),
    created_at: iso(sent + 1000),
  };
}
