/** Each pagination style terminates with exact counts; limits clamp; garbage parameters get 400. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { getJson, walkPartition } from './walk.ts';

let sim: Simulator;
let campaignId: string;
let listId: string;
let taskId: string;
let runId: string;
let threadId: string;

beforeAll(async () => {
  sim = await startSimulator({ scale: 2000, seed: 3, rateLimit: null });
  const biggest = (
    stream: 'campaign_leads' | 'list_leads' | 'lead_search_results' | 'enrichment_items' | 'thread_messages',
  ) => {
    const sizes = new Map<string, number>();
    for (const e of sim.expected(stream)) sizes.set(e.partition, (sizes.get(e.partition) ?? 0) + 1);
    return [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  };
  campaignId = biggest('campaign_leads');
  listId = biggest('list_leads');
  taskId = biggest('lead_search_results');
  runId = biggest('enrichment_items');
  threadId = biggest('thread_messages');
});
afterAll(() => sim.close());

const countIn = (stream: Parameters<Simulator['expected']>[0], partition: string) =>
  [...sim.expected(stream)].filter((e) => e.partition === partition).length;

describe('termination with exact counts', () => {
  it('page: campaign leads, with a limit that does not divide the total', async () => {
    const total = countIn('campaign_leads', campaignId);
    const { records, pages } = await walkPartition(sim, 'campaign_leads', campaignId, 7);
    expect(records).toHaveLength(total);
    expect(pages).toBe(Math.ceil(total / 7));
  });

  it('page: a page past the end is empty with the same total', async () => {
    const { body } = await getJson(sim, `/api/campaigns/${campaignId}/leads?page=999&limit=200`);
    expect(body.prospects).toEqual([]);
    expect(body.total).toBe(countIn('campaign_leads', campaignId));
    expect(body.page).toBe(999);
  });

  it('offset: lead search results', async () => {
    const total = countIn('lead_search_results', taskId);
    const { records, pages } = await walkPartition(sim, 'lead_search_results', taskId, 9);
    expect(records).toHaveLength(total);
    expect(pages).toBe(Math.ceil(total / 9));
    const { body } = await getJson(sim, `/api/leads/search/results?taskId=${taskId}&offset=${total}&limit=5`);
    expect(body).toMatchObject({ results: [], total, offset: total, limit: 5 });
  });

  it('cursor (top-level nextCursor): leads', async () => {
    const { records, pages } = await walkPartition(sim, 'leads', '', 100);
    expect(records).toHaveLength(2000);
    expect(pages).toBe(20);
    const last = await getJson(sim, '/api/leads?limit=100');
    expect(typeof last.body.nextCursor).toBe('string');
  });

  it('cursor (total, hasMore, nextCursor): list leads', async () => {
    const total = countIn('list_leads', listId);
    const first = await getJson(sim, `/api/lists/${listId}/leads?limit=10`);
    expect(first.body).toMatchObject({ total, hasMore: true });
    const { records } = await walkPartition(sim, 'list_leads', listId, 33);
    expect(records).toHaveLength(total);
  });

  it('cursor (pagination{cursor,hasMore,count}): signals, and the last page says hasMore false', async () => {
    const { records, pages } = await walkPartition(sim, 'signals', '', 100);
    expect(records).toHaveLength(1000);
    expect(pages).toBe(10);
    const { body } = await getJson(sim, '/api/signals?limit=100');
    expect(body.pagination).toMatchObject({ hasMore: true, count: 100 });
  });

  it('cursor (page{limit,nextCursor,hasMore}): enrichment items use the last item id as cursor', async () => {
    const total = countIn('enrichment_items', runId);
    const { body } = await getJson(sim, `/api/enrichment/${runId}/items?limit=3`);
    const items = body.items as { id: string }[];
    expect((body.page as { nextCursor: string }).nextCursor).toBe(items[2]?.id);
    const { records } = await walkPartition(sim, 'enrichment_items', runId, 100);
    expect(records).toHaveLength(total);
    const ids = records.map((r) => String(r.id));
    expect(ids).toEqual([...ids].sort());
  });

  it('/api/v1 surface spells it has_more', async () => {
    const { body } = await getJson(sim, '/api/v1/signals?limit=5');
    expect(body.pagination).toMatchObject({ has_more: true, count: 5 });
    expect((body.signals as unknown[]).length).toBe(5);
  });

  it('since on signals returns exactly the records created at or after it', async () => {
    const all = [...sim.expected('signals')].map((e) => e.record);
    const since = String(all[137]?.createdAt);
    const { status, body } = await getJson(sim, `/api/signals?limit=100&since=${encodeURIComponent(since)}`);
    expect(status).toBe(200);
    const want = all.filter((r) => String(r.createdAt) >= since).length;
    expect(want).toBe(138);
    expect((body.signals as unknown[]).length).toBe(100);
    const cursor = (body.pagination as { cursor: string }).cursor;
    const second = await getJson(
      sim,
      `/api/signals?limit=100&since=${encodeURIComponent(since)}&cursor=${cursor}`,
    );
    expect((second.body.signals as unknown[]).length).toBe(38);
    expect(second.body.pagination).toMatchObject({ hasMore: false, cursor: null });
  });

  it('threads without a status filter return only active threads with inbound activity', async () => {
    const all = await walkPartition(sim, 'threads', '', 100);
    const { body } = await getJson(sim, '/api/threads?limit=100');
    const inbound = all.records.filter(
      (r) => r.status === 'active' && r.last_message_direction === 'inbound',
    );
    expect(body.total).toBe(inbound.length);
    expect(Number(body.total)).toBeLessThan(all.records.length);
    expect(sim.count('threads')).toBe(all.records.length);
  });

  it('lead search lists only the 20 most recent tasks', async () => {
    const { body } = await getJson(sim, '/api/leads/search');
    expect((body.tasks as unknown[]).length).toBe(20);
    expect(sim.count('lead_search_tasks')).toBe(20);
  });

  it('generate-messages defaults to drafts; status=all returns every message', async () => {
    const all = await getJson(sim, `/api/campaigns/${campaignId}/generate-messages?status=all`);
    const drafts = await getJson(sim, `/api/campaigns/${campaignId}/generate-messages`);
    const msgs = all.body.messages as { status: string }[];
    expect((drafts.body.messages as unknown[]).length).toBe(msgs.filter((m) => m.status === 'draft').length);
  });

  it('thread messages come oldest first', async () => {
    const { records } = await walkPartition(sim, 'thread_messages', threadId, 2);
    const sent = records.map((r) => String(r.sent_at));
    expect(sent).toEqual([...sent].sort());
  });
});

describe('limits are clamped to the documented maximum', () => {
  it.each([
    ['/api/campaigns/{c}/leads?limit=1000', 'limit', 200],
    ['/api/threads?status=active,archived,draft,warmup&limit=1000', 'limit', 100],
    ['/api/threads/{t}/messages?limit=1000', 'limit', 200],
    ['/api/leads/search/results?taskId={task}&limit=1000', 'limit', 100],
  ])('%s echoes limit %s = %i', async (path, field, max) => {
    const p = path.replace('{c}', campaignId).replace('{t}', threadId).replace('{task}', taskId);
    const { body } = await getJson(sim, p);
    expect(body[field]).toBe(max);
  });

  it.each([
    ['/api/leads?limit=100000', 'leads', 100],
    ['/api/lists/{l}/leads?limit=100000', 'leads', 500],
    ['/api/signals?limit=100000', 'signals', 100],
    ['/api/enrichment/{r}/items?limit=100000', 'items', 100],
  ])('%s returns at most %i records', async (path, key, max) => {
    const { status, body } = await getJson(sim, path.replace('{l}', listId).replace('{r}', runId));
    expect(status).toBe(200);
    const n = (body[key] as unknown[]).length;
    expect(n).toBeLessThanOrEqual(max);
    expect(n).toBeGreaterThan(0);
    if (key === 'items') expect((body.page as { limit: number }).limit).toBe(100);
  });
});

describe('garbage parameters get 400 with the error envelope', () => {
  it.each([
    '/api/leads?limit=abc',
    '/api/leads?limit=0',
    '/api/leads?limit=-5',
    '/api/leads?limit=1.5',
    '/api/leads?cursor=not-a-cursor',
    '/api/leads?cursor=%E2%9C%93',
    '/api/campaigns/{c}/leads?page=0',
    '/api/campaigns/{c}/leads?page=two',
    '/api/leads/search/results?taskId={task}&offset=-1',
    '/api/leads/search/results?taskId={task}&offset=x',
    '/api/leads/search/results',
    '/api/signals?since=yesterday',
    '/api/signals?cursor=%%%',
    '/api/signals/leads?groupBy=planet',
    '/api/threads?status=deleted',
    '/api/enrichment/{r}/items?cursor=nope',
    '/api/campaigns/{c}/generate-messages?status=bogus',
  ])('%s', async (path) => {
    const p = path.replace('{c}', campaignId).replace('{task}', taskId).replace('{r}', runId);
    const { status, body } = await getJson(sim, p);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_request' });
    expect(typeof (body.error as { message: string }).message).toBe('string');
  });

  it("unknown ids (other users' ids) are 404 not_found", async () => {
    for (const p of [
      '/api/campaigns/00000000-0000-4000-8000-000000000000',
      '/api/lists/nope/leads',
      '/api/enrichment/x',
      '/api/threads/x/messages',
      '/api/leads?id=x',
    ]) {
      const { status, body } = await getJson(sim, p);
      expect(status).toBe(404);
      expect(body.error).toMatchObject({ code: 'not_found' });
    }
  });

  it('a lead search that is not completed answers 409 conflict for results', async () => {
    const running = [...sim.expected('lead_search_tasks')].find((e) => e.record.status === 'running');
    const { status, body } = await getJson(sim, `/api/leads/search/results?taskId=${running?.record.id}`);
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'conflict' });
  });
});
