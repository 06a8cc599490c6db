/** Hostile-source faults over HTTP: empty first page, contradictory page, endless and expired cursors. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';

let sims: Simulator[] = [];
const start = async (spec: string) => {
  const s = await startSimulator({ scale: 300, seed: 3, rateLimit: null, faults: parseFaultSpec(spec) });
  sims.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

type Body = Record<string, unknown> & { error?: { code: string; message: string } };
async function get(s: Simulator, path: string): Promise<{ status: number; body: Body }> {
  const res = await fetch(s.url + path, { headers: { authorization: `Bearer ${s.keys[0]}` } });
  return { status: res.status, body: (await res.json()) as Body };
}
const listId = (s: Simulator) => [...s.expected('list_leads')][0]!.partition;

describe('empty-first-page', () => {
  it('a first page comes back empty with no cursor; later pages and later first pages are intact', async () => {
    const s = await start('empty-first-page@/api/leads#1');
    const glitch = await get(s, '/api/leads?limit=10');
    expect(glitch.body).toEqual({ leads: [], nextCursor: null });
    expect(s.requests.at(-1)!.fault).toBe('empty-first-page');
    const first = await get(s, '/api/leads?limit=10');
    expect((first.body.leads as unknown[]).length).toBe(10);
    const second = await get(s, `/api/leads?limit=10&cursor=${first.body.nextCursor}`);
    expect((second.body.leads as unknown[]).length).toBe(10);
  });

  it('page and list endpoints: total 0, hasMore false', async () => {
    const s = await start('empty-first-page@/api/threads;empty-first-page@/api/lists/*/leads');
    const threads = await get(s, '/api/threads?status=active,archived,draft,warmup&page=1&limit=10');
    expect(threads.body).toMatchObject({ threads: [], total: 0, page: 1 });
    const leads = await get(s, `/api/lists/${listId(s)}/leads?limit=5`);
    expect(leads.body).toMatchObject({ leads: [], total: 0, hasMore: false, nextCursor: null });
    const page2 = await get(s, '/api/threads?status=active,archived,draft,warmup&page=2&limit=10');
    expect((page2.body.threads as unknown[]).length).toBe(10);
  });
});

describe('contradictory', () => {
  it('a cursor page says hasMore with a null cursor, rows kept', async () => {
    const s = await start('contradictory@/api/lists/*/leads#1');
    const { body } = await get(s, `/api/lists/${listId(s)}/leads?limit=5`);
    expect(body).toMatchObject({ hasMore: true, nextCursor: null });
    expect((body.leads as unknown[]).length).toBe(5);
    expect(s.requests.at(-1)!.fault).toBe('contradictory');
  });

  it('a page endpoint answers no rows while total counts them', async () => {
    const s = await start('contradictory@/api/threads#1');
    const { body } = await get(s, '/api/threads?status=active,archived,draft,warmup&page=1&limit=10');
    expect(body.threads).toEqual([]);
    expect(body.total).toBeGreaterThan(0);
  });

  it('an endpoint with no way to contradict itself is served unchanged and not logged as a fault', async () => {
    const s = await start('contradictory@/api/leads');
    const { body } = await get(s, '/api/leads?limit=10');
    expect((body.leads as unknown[]).length).toBe(10);
    expect(s.requests.at(-1)!.fault).toBeUndefined();
  });
});

describe('endless-cursor', () => {
  it('a new cursor on every page, always the same rows, while the rule is set', async () => {
    const s = await start('endless-cursor@/api/signals');
    const cursors = new Set<string>();
    let cursor = '';
    let firstIds: unknown;
    for (let i = 0; i < 5; i++) {
      const { body } = await get(s, `/api/signals?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      const p = body.pagination as { cursor: string; hasMore: boolean };
      const ids = (body.signals as { id: string }[]).map((r) => r.id);
      firstIds ??= ids;
      expect(ids).toEqual(firstIds);
      expect(p.hasMore).toBe(true);
      expect(cursors.has(p.cursor)).toBe(false);
      cursors.add(p.cursor);
      cursor = p.cursor;
    }
    s.setFaults([]);
    const after = await get(s, `/api/signals?limit=5&cursor=${cursor}`);
    expect(after.status).toBe(400);
  });
});

describe('expired-cursor', () => {
  it('a cursor served before the rules were set is 400; cursors served since stay valid', async () => {
    const s = await start('');
    const old = await get(s, '/api/signals/search?limit=2');
    const oldCursor = (old.body.pagination as { cursor: string }).cursor;
    s.setFaults(parseFaultSpec('expired-cursor@/api/signals/search#1'));
    const expired = await get(s, `/api/signals/search?limit=2&cursor=${oldCursor}`);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({ code: 'invalid_request', message: 'cursor has expired' });
    const fresh = await get(s, '/api/signals/search?limit=2');
    const next = await get(
      s,
      `/api/signals/search?limit=2&cursor=${(fresh.body.pagination as { cursor: string }).cursor}`,
    );
    expect(next.status).toBe(200);
    // `#1`: only the first stale cursor expires.
    expect((await get(s, `/api/signals/search?limit=2&cursor=${oldCursor}`)).status).toBe(200);
  });
});
