/** Change over time: mutations mid-walk, moving timestamps, side-effect endpoints, admin routes. */
import { afterEach, describe, expect, it } from 'vitest';
import { MutationError } from '../../src/simulator/errors/mutation-error.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { getJson, walkPartition } from './walk.ts';

type Rec = Record<string, unknown>;
let sim: Simulator | undefined;
const start = async (scale = 300, seed = 5) => {
  sim = await startSimulator({ scale, seed, rateLimit: null });
  return sim;
};
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const ids = (rows: unknown) => (rows as Rec[]).map((r) => String(r.id));

/** Partitions with records, biggest first (the newest campaign and list are empty on purpose). */
function partitionsBySize(s: Simulator, stream: Parameters<Simulator['expected']>[0]): string[] {
  const sizes = new Map<string, number>();
  for (const e of s.expected(stream)) sizes.set(e.partition, (sizes.get(e.partition) ?? 0) + 1);
  return [...sizes].sort((a, b) => b[1] - a[1]).map(([p]) => p);
}

describe('mutations during a walk', () => {
  it('keyset cursor (leads): an insert shows up on a later page, a delete ahead disappears, nothing repeats', async () => {
    const s = await start();
    const first = await getJson(s, '/api/leads?limit=100');
    const seen = ids(first.body.leads);
    const all = [...s.expected('leads')].map((e) => String(e.record.id));
    const inserted = s.mutate.insert('leads', '', {
      name: { full: 'Zoë Ødegaard', first: 'Zoë', last: 'Ødegaard' },
    });
    s.mutate.remove('leads', all[150] as string);
    s.mutate.remove('leads', all[5] as string);
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await getJson(s, `/api/leads?limit=100&cursor=${cursor}`);
      seen.push(...ids(page.body.leads));
      cursor = page.body.nextCursor as string | null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(inserted.id);
    expect(seen).not.toContain(all[150]);
    expect(seen).toContain(all[5]);
    expect(seen).toHaveLength(300);
    expect(s.count('leads')).toBe(299);
  });

  it('page pagination (campaign leads, newest first): an insert at the head shifts the next page', async () => {
    const s = await start();
    const campaign = partitionsBySize(s, 'campaign_leads')[0] as string;
    const p1 = await getJson(s, `/api/campaigns/${campaign}/leads?page=1&limit=5`);
    const inserted = s.mutate.insert('campaign_leads', campaign, { status: 'pending' });
    const p2 = await getJson(s, `/api/campaigns/${campaign}/leads?page=2&limit=5`);
    expect(ids(p1.body.prospects)).toHaveLength(5);
    expect(ids(p2.body.prospects)[0]).toBe(ids(p1.body.prospects)[4]);
    expect(p2.body.total).toBe(Number(p1.body.total) + 1);
    const fresh = await getJson(s, `/api/campaigns/${campaign}/leads?page=1&limit=5`);
    expect(ids(fresh.body.prospects)[0]).toBe(inserted.id);
    expect(inserted).toMatchObject({ campaign_id: campaign, status: 'pending' });
  });

  it('page pagination: a delete before the current page skips a record', async () => {
    const s = await start();
    const campaign = partitionsBySize(s, 'campaign_leads')[0] as string;
    const p1 = await getJson(s, `/api/campaigns/${campaign}/leads?page=1&limit=5`);
    const before = [...s.expected('campaign_leads')]
      .filter((e) => e.partition === campaign)
      .map((e) => String(e.record.id));
    s.mutate.remove('campaign_leads', ids(p1.body.prospects)[0] as string, campaign);
    const p2 = await getJson(s, `/api/campaigns/${campaign}/leads?page=2&limit=5`);
    expect(before.length).toBeGreaterThan(10);
    expect(ids(p2.body.prospects)[0]).toBe(before[6]);
  });

  it('offset pagination (lead search results) shifts on delete too', async () => {
    const s = await start();
    const task = partitionsBySize(s, 'lead_search_results')[0] as string;
    const p1 = await getJson(s, `/api/leads/search/results?taskId=${task}&offset=0&limit=4`);
    const all = [...s.expected('lead_search_results')]
      .filter((e) => e.partition === task)
      .map((e) => String(e.record.id));
    s.mutate.remove('lead_search_results', all[1] as string);
    const p2 = await getJson(s, `/api/leads/search/results?taskId=${task}&offset=4&limit=4`);
    expect(ids(p2.body.results)[0]).toBe(all[5]);
    expect(ids(p1.body.results)).toEqual(all.slice(0, 4));
  });

  it('list leads: a membership added mid-walk appears at the end; removed memberships vanish', async () => {
    const s = await start();
    const [listA, listB] = partitionsBySize(s, 'list_leads') as [string, string];
    const inB = new Set(
      [...s.expected('list_leads')].filter((e) => e.partition === listB).map((e) => String(e.record.id)),
    );
    const outsider = [...s.expected('leads')]
      .map((e) => String(e.record.id))
      .find((id) => !inB.has(id)) as string;
    const first = await getJson(s, `/api/lists/${listB}/leads?limit=10`);
    s.mutate.insert('list_leads', listB, { id: outsider });
    expect(() => s.mutate.insert('list_leads', listB, { id: outsider })).toThrow(MutationError);
    const { records } = await walkPartition(s, 'list_leads', listB, 500);
    expect(ids(records).at(-1)).toBe(outsider);
    expect(ids(first.body.leads)).toEqual(ids(records).slice(0, 10));
    const inA = [...s.expected('list_leads')]
      .filter((e) => e.partition === listA)
      .map((e) => String(e.record.id));
    s.mutate.remove('leads', inA[0] as string);
    const afterA = await walkPartition(s, 'list_leads', listA, 500);
    expect(ids(afterA.records)).not.toContain(inA[0]);
    expect(afterA.records).toHaveLength(inA.length - 1);
  });
});

describe('updates', () => {
  it('updated_at / updatedAt / timing.updatedAt move forward on update', async () => {
    const s = await start();
    const prospect = [...s.expected('campaign_leads')][0]?.record as Rec;
    const p = s.mutate.update('campaign_leads', String(prospect.id), { status: 'replied' });
    expect(p.status).toBe('replied');
    expect(Date.parse(String(p.updated_at))).toBeGreaterThan(Date.parse(String(prospect.updated_at)));
    const lead = [...s.expected('leads')][3]?.record as Rec;
    const l = s.mutate.update('leads', String(lead.id), { title: 'Chief Everything Officer' });
    expect(l.updatedAt).not.toBe(lead.updatedAt);
    const item = [...s.expected('enrichment_items')][0]?.record as Rec;
    const i = s.mutate.update('enrichment_items', String(item.id), { status: 'failed' });
    const timing = i.timing as Rec;
    expect(timing.createdAt).toBe((item.timing as Rec).createdAt);
    expect(Date.parse(String(timing.updatedAt))).toBeGreaterThan(
      Date.parse(String((item.timing as Rec).updatedAt)),
    );
    const served = await getJson(s, `/api/leads?id=${lead.id}`);
    expect((served.body.leads as Rec[])[0]).toMatchObject({
      title: 'Chief Everything Officer',
      updatedAt: l.updatedAt,
    });
    const inList = [...s.expected('list_leads')].find((e) => e.record.id === lead.id);
    expect(inList?.record.title).toBe('Chief Everything Officer');
  });

  it('a new thread message moves the thread last_message_at and the thread to the top of the list', async () => {
    const s = await start();
    const threads = [...s.expected('threads')].map((e) => e.record);
    const old = threads.at(-1) as Rec;
    const msg = s.mutate.insert('thread_messages', String(old.id), {
      direction: 'inbound',
      body_text: '¿Seguimos?',
    });
    const page = await getJson(s, '/api/threads?status=active,archived,draft,warmup&limit=100&page=1');
    const top = (page.body.threads as Rec[])[0] as Rec;
    expect(top.id).toBe(old.id);
    expect(top.last_message_at).toBe(msg.sent_at);
    expect(top.last_message_direction).toBe('inbound');
    expect(s.count('threads')).toBe(threads.length);
    const msgs = await walkPartition(s, 'thread_messages', String(old.id), 200);
    expect(ids(msgs.records).at(-1)).toBe(msg.id);
  });

  it('removing a parent makes its children 404 and drops its partitions', async () => {
    const s = await start();
    const campaign = partitionsBySize(s, 'campaign_leads')[0] as string;
    s.mutate.remove('campaigns', campaign);
    expect(s.partitions('campaign_leads')).not.toContain(campaign);
    expect((await getJson(s, `/api/campaigns/${campaign}/leads`)).status).toBe(404);
    expect((await getJson(s, `/api/campaigns/${campaign}`)).status).toBe(404);
  });

  it('unknown ids and partitions throw MutationError', async () => {
    const s = await start();
    expect(() => s.mutate.update('leads', 'nope')).toThrow(MutationError);
    expect(() => s.mutate.remove('campaigns', 'nope')).toThrow(MutationError);
    expect(() => s.mutate.insert('campaign_leads', 'nope')).toThrow(MutationError);
  });
});

describe('side-effect endpoints are served, change data, and are counted', () => {
  it('GET /api/threads/{id} and /api/conversations/{id} reset unread_count', async () => {
    const s = await start();
    const unread = [...s.expected('threads')].map((e) => e.record).filter((t) => Number(t.unread_count) > 0);
    const [a, b] = unread as [Rec, Rec];
    const res = await getJson(s, `/api/threads/${a.id}`);
    expect(res.status).toBe(200);
    expect((res.body.thread as Rec).unread_count).toBe(0);
    await getJson(s, `/api/conversations/${b.id}`);
    const after = new Map([...s.expected('threads')].map((e) => [e.record.id, e.record]));
    expect(after.get(a.id)?.unread_count).toBe(0);
    expect(after.get(b.id)?.unread_count).toBe(0);
    expect(s.sideEffectCalls).toBe(2);
    await getJson(s, `/api/threads/${a.id}/messages`);
    expect(s.sideEffectCalls).toBe(2);
  });

  it('domains without skip_sync refresh (updated_at moves); warmup analytics and unipile accounts are counted', async () => {
    const s = await start();
    const before = [...s.expected('email_domains')].map((e) => e.record.updated_at);
    await getJson(s, '/api/email/domains?skip_sync=true');
    expect(s.sideEffectCalls).toBe(0);
    await getJson(s, '/api/email/domains');
    expect([...s.expected('email_domains')].map((e) => e.record.updated_at)).not.toEqual(before);
    await getJson(s, '/api/email/accounts/warmup-analytics');
    await getJson(s, '/api/unipile/accounts');
    expect(s.sideEffectCalls).toBe(3);
    s.resetLog();
    expect(s.sideEffectCalls).toBe(0);
    expect(s.requestCount).toBe(0);
  });
});

describe('admin routes', () => {
  it('need the admin token; a Puffle key is refused', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/__admin/state`, { headers: { authorization: `Bearer ${s.keys[0]}` } });
    expect(res.status).toBe(401);
    expect(s.requestCount).toBe(0);
  });

  it('mutate, revoke, faults, rate limit, log and expected over HTTP', async () => {
    const s = await start();
    const admin = (path: string, body?: unknown) =>
      fetch(`${s.url}/__admin${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-admin-token': s.adminToken, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Rec }));
    const ins = await admin('/mutate', { op: 'insert', stream: 'lists', fields: { name: 'Via admin' } });
    expect((ins.body.record as Rec).name).toBe('Via admin');
    expect((await getJson(s, '/api/lists')).body.lists).toContainEqual(ins.body.record);
    expect((await admin('/mutate', { op: 'update', stream: 'leads', id: 'nope' })).status).toBe(400);
    await admin('/faults', { spec: '503@/api/lists#1' });
    expect((await getJson(s, '/api/lists')).status).toBe(503);
    const log = await admin('/requests');
    expect((log.body.requests as Rec[]).map((r) => r.status)).toEqual([200, 503]);
    const exp = await admin('/expected/lists');
    expect(exp.body.count).toBe(s.count('lists'));
    await admin('/rate-limit', { limit: 1, windowMs: 60_000 });
    expect((await getJson(s, '/api/account')).status).toBe(200);
    expect((await getJson(s, '/api/account')).status).toBe(429);
    await admin('/keys/revoke', { key: s.keys[0] });
    expect(s.keys).toHaveLength(0);
    const state = await admin('/state');
    expect(state.body.enrichmentRunIds).toEqual(s.enrichmentRunIds);
  });
});

describe('data', () => {
  it('same seed and scale give identical data; another seed gives different data', async () => {
    const snapshot = async (seed: number) => {
      const s = await startSimulator({ scale: 120, seed, rateLimit: null });
      const out = JSON.stringify(
        ['leads', 'campaign_leads', 'signals', 'enrichment_items'].map((st) => [
          ...s.expected(st as 'leads'),
        ]),
      );
      await s.close();
      return out;
    };
    expect(await snapshot(9)).toBe(await snapshot(9));
    expect(await snapshot(9)).not.toBe(await snapshot(10));
  });

  it('1,000,000 leads start instantly and serve a page from deep in the walk', async () => {
    const t0 = Date.now();
    const s = await start(1_000_000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.count('leads')).toBe(1_000_000);
    expect(s.count('list_leads')).toBeGreaterThan(1_000_000);
    const deep = Buffer.from('k:999950').toString('base64url');
    const { body } = await getJson(s, `/api/leads?limit=100&cursor=${deep}`);
    expect((body.leads as unknown[]).length).toBe(49);
    expect(body.nextCursor).toBeNull();
  });
});
