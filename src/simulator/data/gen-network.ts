/** Record generators: LinkedIn network connections and a connection's detail. */
import type { Rec } from './collection.ts';
import { TITLES } from './pools.ts';
import { hashString, iso } from './rng.ts';
import type { World } from './world.ts';

const DAY = 86_400_000;

export function connection(w: World, i: number): Rec {
  const r = w.connections.rng(i, 1);
  const p = w.person(r);
  const co = w.company(r);
  const connected = w.connections.createdMs(i);
  const enriched = r.bool(0.4);
  return {
    id: w.connections.id(i),
    user_id: w.userId,
    first_name: p.first,
    last_name: p.last,
    email: r.maybe(w.email(p.first, p.last, co.domain), 0.6),
    company: co.name,
    position: r.pick(TITLES),
    connected_on: iso(connected).slice(0, 10),
    linkedin_url: `https://www.linkedin.com/in/${r.hex(10)}`,
    enriched_at: enriched ? iso(connected + r.int(1, 30) * DAY) : null,
    // Computed by Puffle per request from the conversation history.
    message_count: r.bool(0.3) ? r.int(1, 12) : 0,
  };
}

const SECTIONS = [
  'certifications',
  'languages',
  'projects',
  'volunteering',
  'publications',
  'awards',
  'courses',
];

/**
 * `GET /api/network/connections/{id}/detail`: a bare object of arrays. It follows only the fields
 * the connection list shows moving with it (`enriched_at`, `message_count`), so a sync that
 * re-reads details when those move is exact.
 */
export function connectionDetail(w: World, c: Rec): Rec {
  const id = String(c.id);
  const r = w.rng(0x6e7, hashString(id));
  const enriched = typeof c.enriched_at === 'string';
  const messages = Array.from({ length: Number(c.message_count) || 0 }, (_, k) => ({
    id: `${id.slice(0, 8)}-m${k}`,
    direction: k % 2 === 0 ? 'outbound' : 'inbound',
    text: `Message ${k + 1}`,
    sent_at: iso(Date.parse(`${String(c.connected_on)}T00:00:00Z`) + (k + 1) * 3_600_000),
  }));
  const detail: Rec = {
    experience: enriched
      ? [{ title: c.position, company: c.company, start: String(c.connected_on).slice(0, 4), current: true }]
      : [],
    education: enriched ? [{ school: `${r.pick(['Uppsala', 'Porto', 'Leeds', 'Aarhus'])} University` }] : [],
    skills: enriched ? [r.pick(['SQL', 'Sales', 'Negotiation', 'Python']), 'CRM'] : [],
    messages,
  };
  for (const s of SECTIONS) detail[s] = [];
  return detail;
}
