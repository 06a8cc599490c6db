/** Paginators against in-memory fake servers (pure units: no I/O). */
import { describe, expect, it } from 'vitest';
import { PaginationError } from '../../src/extract/errors/index.ts';
import type { FetchPage, WalkContext } from '../../src/extract/paginators/body.ts';
import { walkCursor } from '../../src/extract/paginators/cursor.ts';
import { walkUnpaginated } from '../../src/extract/paginators/none.ts';
import { walkOffsets } from '../../src/extract/paginators/offset.ts';
import { walkPages } from '../../src/extract/paginators/page.ts';
import { guardProgress } from '../../src/extract/paginators/progress.ts';
import { walkSingle } from '../../src/extract/paginators/single.ts';
import type { CursorPaginator, Page } from '../../src/extract/paginators/types.ts';

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}` }));
const ctx = (recordsAt: string[] = ['items'], extra: Partial<WalkContext> = {}): WalkContext => ({
  stream: 'test_stream',
  recordsAt,
  ...extra,
});

async function collect(gen: AsyncGenerator<Page>): Promise<Page[]> {
  const out: Page[] = [];
  for await (const p of gen) out.push(p);
  return out;
}
const ids = (pages: Page[]) => pages.flatMap((p) => p.records.map((r) => r.id as string));

/** A cursor server over `data`, answering in the given spelling. */
function cursorServer(
  data: { id: string }[],
  spell: (items: unknown[], next: string | null) => Record<string, unknown>,
) {
  const calls: Record<string, unknown>[] = [];
  const fetchPage: FetchPage = async (q) => {
    calls.push(q);
    const start = q.cursor === undefined ? 0 : Number(String(q.cursor).slice(1));
    const items = data.slice(start, start + Number(q.limit));
    const end = start + items.length;
    return spell(items, end < data.length ? `c${end}` : null);
  };
  return { fetchPage, calls };
}

describe('cursor paginator', () => {
  const spellings: [
    string,
    CursorPaginator,
    (items: unknown[], next: string | null) => Record<string, unknown>,
  ][] = [
    [
      'pagination.{cursor,hasMore}',
      { kind: 'cursor', limit: 3, next: 'pagination.cursor', hasMore: 'pagination.hasMore' },
      (items, next) => ({ items, pagination: { cursor: next, hasMore: next !== null, count: items.length } }),
    ],
    [
      'pagination.has_more (v1) with a configured camel path',
      { kind: 'cursor', limit: 3, next: 'pagination.cursor', hasMore: 'pagination.hasMore' },
      (items, next) => ({ items, pagination: { cursor: next ?? 'stale', has_more: next !== null } }),
    ],
    [
      'top-level nextCursor',
      { kind: 'cursor', limit: 3, next: 'nextCursor' },
      (items, next) => ({ items, nextCursor: next }),
    ],
    [
      'top-level nextCursor absent at the end',
      { kind: 'cursor', limit: 3, next: 'nextCursor', hasMore: 'hasMore' },
      (items, next) => (next ? { items, nextCursor: next, hasMore: true, total: 10 } : { items, total: 10 }),
    ],
    [
      'page.{nextCursor,hasMore}',
      { kind: 'cursor', limit: 3, next: 'page.nextCursor', hasMore: 'page.hasMore' },
      (items, next) => ({ items, page: { limit: 3, nextCursor: next ?? 'x', hasMore: next !== null } }),
    ],
    [
      'a spelling other than the configured one',
      { kind: 'cursor', limit: 3, next: 'nextCursor' },
      (items, next) => ({ items, page: { nextCursor: next } }),
    ],
  ];

  it.each(spellings)('%s: walks every record once, last page has resume null', async (_l, cfg, spell) => {
    const data = rows(10);
    const { fetchPage, calls } = cursorServer(data, spell);
    const pages = await collect(walkCursor(fetchPage, cfg, ctx(), null));
    expect(ids(pages)).toEqual(data.map((r) => r.id));
    expect(pages.at(-1)!.resume).toBeNull();
    expect(pages.slice(0, -1).every((p) => p.resume?.kind === 'cursor')).toBe(true);
    expect(calls[0]).toEqual({ limit: 3, cursor: undefined });
  });

  it('resumes from a saved cursor', async () => {
    const data = rows(10);
    const cfg = spellings[0]![1];
    const { fetchPage } = cursorServer(data, spellings[0]![2]);
    const first = await collect(walkCursor(fetchPage, cfg, ctx(), null));
    const rest = await collect(walkCursor(fetchPage, cfg, ctx(), first[1]!.resume));
    expect([...ids(first.slice(0, 2)), ...ids(rest)]).toEqual(data.map((r) => r.id));
  });

  it('stops on an empty page that does not say more follows', async () => {
    const fetchPage: FetchPage = async () => ({ items: [], nextCursor: 'again' });
    const pages = await collect(
      walkCursor(fetchPage, { kind: 'cursor', limit: 5, next: 'nextCursor' }, ctx(), null),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.resume).toBeNull();
  });

  it('a repeated cursor is a PaginationError, not an endless loop', async () => {
    let n = 0;
    const fetchPage: FetchPage = async () => ({
      items: rows(2, n++ * 2),
      nextCursor: n > 2 ? 'c1' : `c${n}`,
    });
    await expect(
      collect(walkCursor(fetchPage, { kind: 'cursor', limit: 2, next: 'nextCursor' }, ctx(), null)),
    ).rejects.toThrow(PaginationError);
    expect(n).toBe(3);
  });

  it('a short page is not the end while the cursor continues', async () => {
    const data = rows(7);
    const sizes = [3, 1, 3];
    let i = 0;
    let pos = 0;
    const fetchPage: FetchPage = async () => {
      const items = data.slice(pos, pos + sizes[i++]!);
      pos += items.length;
      return { items, nextCursor: pos < data.length ? `c${pos}` : null };
    };
    const pages = await collect(
      walkCursor(fetchPage, { kind: 'cursor', limit: 3, next: 'nextCursor' }, ctx(), null),
    );
    expect(ids(pages)).toEqual(data.map((r) => r.id));
  });
});

/** A page/offset server over a mutable array (`data` may change between calls). */
function positionalServer(
  data: { id: string }[],
  kind: 'page' | 'offset',
  opts: { maxLimit?: number; noTotal?: boolean } = {},
) {
  const calls: Record<string, unknown>[] = [];
  const fetchPage: FetchPage = async (q) => {
    calls.push(q);
    const limit = Math.min(Number(q.limit), opts.maxLimit ?? Number.POSITIVE_INFINITY);
    const start = kind === 'page' ? (Number(q.page) - 1) * limit : Number(q.offset);
    const body: Record<string, unknown> = { items: data.slice(start, start + limit), limit };
    if (!opts.noTotal) body.total = data.length;
    body[kind] = kind === 'page' ? Number(q.page) : Number(q.offset);
    return body;
  };
  return { fetchPage, calls };
}

describe('page paginator', () => {
  it('stops when page×limit reaches total, without an extra empty request', async () => {
    const data = rows(10);
    const { fetchPage, calls } = positionalServer(data, 'page');
    const pages = await collect(walkPages(fetchPage, { kind: 'page', limit: 5 }, ctx(), null));
    expect(ids(pages)).toEqual(data.map((r) => r.id));
    expect(calls).toHaveLength(2);
    expect(pages[0]!.resume).toEqual({ kind: 'page', page: 2, total: 10, pass: 1 });
    expect(pages[1]!.resume).toBeNull();
  });

  it('follows the limit the server echoes when it caps ours', async () => {
    const data = rows(10);
    const { fetchPage } = positionalServer(data, 'page', { maxLimit: 3 });
    const pages = await collect(walkPages(fetchPage, { kind: 'page', limit: 5 }, ctx(), null));
    expect(ids(pages)).toEqual(data.map((r) => r.id));
  });

  it('without total, walks until an empty page (a short page is not the end)', async () => {
    const data = rows(7);
    const { fetchPage, calls } = positionalServer(data, 'page', { noTotal: true });
    const pages = await collect(walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), null));
    expect(ids(pages)).toEqual(data.map((r) => r.id));
    expect(calls).toHaveLength(4);
  });

  it('resumes from a saved page', async () => {
    const data = rows(10);
    const { fetchPage } = positionalServer(data, 'page');
    const first = await collect(walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), null));
    const rest = await collect(walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), first[1]!.resume));
    expect([...ids(first.slice(0, 2)), ...ids(rest)]).toEqual(data.map((r) => r.id));
  });

  it('a server ignoring the page parameter is a PaginationError (no_progress)', async () => {
    const fetchPage: FetchPage = async () => ({ items: rows(3) });
    const walk = guardProgress(walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), null), ctx());
    await expect(collect(walk)).rejects.toThrow(/repeats the previous page exactly.*\(no_progress\)/);
  });

  it('an echoed page other than the one asked is a PaginationError', async () => {
    const fetchPage: FetchPage = async () => ({ items: rows(3), page: 1, total: 9 });
    const gen = walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), null);
    await expect(collect(gen)).rejects.toThrow(/asked for page 2, the server answered page 1/);
  });

  it('rows on a page past total are a PaginationError', async () => {
    const fetchPage: FetchPage = async (q) => ({ items: rows(3, Number(q.page) * 3), total: 3 });
    await expect(
      collect(walkPages(fetchPage, { kind: 'page', limit: 3 }, ctx(), { kind: 'page', page: 4, total: 3 })),
    ).rejects.toThrow(/past total/);
  });

  it('page-shift: deletes at the head mid-walk trigger a clean second pass that returns every surviving row', async () => {
    const data = rows(20);
    const original = data.map((r) => r.id);
    const { fetchPage: inner } = positionalServer(data, 'page');
    let call = 0;
    const deleted = new Set<string>();
    const inserted: string[] = [];
    const fetchPage: FetchPage = async (q) => {
      call++;
      if (call === 2 || call === 3) {
        // delete 2 rows at the head, insert 1 new row at the head
        for (const r of data.splice(0, 2)) deleted.add(r.id);
        const fresh = { id: `new${call}` };
        data.unshift(fresh);
        inserted.push(fresh.id);
      }
      return inner(q);
    };
    const unstable: string[] = [];
    const pages = await collect(
      walkPages(
        fetchPage,
        { kind: 'page', limit: 5 },
        ctx(['items'], { onUnstable: (d) => unstable.push(d) }),
        null,
      ),
    );
    const seen = new Set(ids(pages));
    const survivors = original.filter((id) => !deleted.has(id));
    for (const id of survivors) expect(seen, `row ${id} skipped`).toContain(id);
    expect(pages.some((p) => p.resume?.kind === 'page' && p.resume.pass === 2)).toBe(true);
    expect(unstable).toEqual([]);
  });

  it('without correction (maxPasses 1) the same shift would skip rows — the test can fail', async () => {
    const data = rows(20);
    const original = data.map((r) => r.id);
    const { fetchPage: inner } = positionalServer(data, 'page');
    let call = 0;
    const fetchPage: FetchPage = async (q) => {
      if (++call === 2) data.splice(0, 2);
      return inner(q);
    };
    const unstable: string[] = [];
    const pages = await collect(
      walkPages(
        fetchPage,
        { kind: 'page', limit: 5 },
        ctx(['items'], { maxPasses: 1, onUnstable: (d) => unstable.push(d) }),
        null,
      ),
    );
    const seen = new Set(ids(pages));
    expect(original.slice(2).filter((id) => !seen.has(id)).length).toBeGreaterThan(0);
    expect(unstable).toHaveLength(1);
  });

  it('pure inserts before the boundary are explained by the overlap: no second pass', async () => {
    const data = rows(12);
    const { fetchPage: inner, calls } = positionalServer(data, 'page');
    let call = 0;
    const fetchPage: FetchPage = async (q) => {
      if (++call === 2) data.unshift({ id: 'head1' }, { id: 'head2' });
      return inner(q);
    };
    const pages = await collect(walkPages(fetchPage, { kind: 'page', limit: 5 }, ctx(), null));
    expect(calls.filter((c) => c.page === 1)).toHaveLength(1);
    for (const r of rows(12)) expect(ids(pages)).toContain(r.id);
  });

  it('a shift restarts from the top at once; a change made while stopped is caught on resume', async () => {
    const data = rows(15);
    const { fetchPage: inner, calls } = positionalServer(data, 'page');
    let call = 0;
    const fetchPage: FetchPage = async (q) => {
      if (++call === 2) data.splice(0, 3);
      return inner(q);
    };
    const pages = await collect(walkPages(fetchPage, { kind: 'page', limit: 5 }, ctx(), null));
    // page 1, page 2 (shift seen) → pass 2: pages 1, 2 (12 rows left)
    expect(calls.map((c) => c.page)).toEqual([1, 2, 1, 2, 3]);
    expect(pages[1]!.resume).toEqual({ kind: 'page', page: 1, total: 12, pass: 2 });

    // A walk stopped after page 1; rows deleted meanwhile; the resumed walk notices via total.
    const first = (await collect(walkPages(inner, { kind: 'page', limit: 5 }, ctx(), null)))[0]!;
    data.splice(0, 2);
    const resumed = await collect(walkPages(inner, { kind: 'page', limit: 5 }, ctx(), first.resume));
    expect(resumed[0]!.resume).toMatchObject({ page: 1, pass: 2 });
  });
});

describe('offset paginator', () => {
  it('advances by the rows received and stops at total', async () => {
    const data = rows(11);
    const { fetchPage, calls } = positionalServer(data, 'offset', { maxLimit: 4 });
    const pages = await collect(walkOffsets(fetchPage, { kind: 'offset', limit: 5 }, ctx(), null));
    expect(ids(pages)).toEqual(data.map((r) => r.id));
    expect(calls.map((c) => c.offset)).toEqual([0, 4, 8]);
    expect(pages[0]!.resume).toEqual({ kind: 'offset', offset: 4, total: 11, pass: 1 });
  });

  it('head deletes mid-walk are corrected by a second pass', async () => {
    const data = rows(12);
    const original = data.map((r) => r.id);
    const { fetchPage: inner } = positionalServer(data, 'offset');
    let call = 0;
    const fetchPage: FetchPage = async (q) => {
      if (++call === 2) data.splice(0, 3);
      return inner(q);
    };
    const pages = await collect(walkOffsets(fetchPage, { kind: 'offset', limit: 4 }, ctx(), null));
    const seen = new Set(ids(pages));
    for (const id of original.slice(3)) expect(seen).toContain(id);
  });
});

describe('unpaginated and single', () => {
  it('none: one request, records at the first key that is an array, else the only array field', async () => {
    const pages = await collect(
      walkUnpaginated(async () => ({ conversations: rows(3), total: 3 }), ctx(['threads', '*array'])),
    );
    expect(ids(pages)).toEqual(['r0', 'r1', 'r2']);
    expect(pages[0]!.resume).toBeNull();
  });

  it('none: a response without the records array is a PaginationError naming the stream', async () => {
    await expect(
      collect(walkUnpaginated(async () => ({ a: [], b: [] }), ctx(['threads', '*array']))),
    ).rejects.toThrow(/test_stream: no records array/);
  });

  it('single: keeps sibling fields (account profile) nested on the record', async () => {
    const body = {
      account: { id: 'u1', email: 'a@b.c', fullName: 'A B' },
      profile: { firstName: 'A', lastName: 'B' },
      canManageAuth: true,
    };
    const pages = await collect(walkSingle(async () => body, ctx(['account'])));
    expect(pages[0]!.records).toEqual([
      {
        id: 'u1',
        email: 'a@b.c',
        fullName: 'A B',
        profile: { firstName: 'A', lastName: 'B' },
        canManageAuth: true,
      },
    ]);
  });

  it('single: a null object yields no record; a missing key is an error', async () => {
    expect((await collect(walkSingle(async () => ({ run: null }), ctx(['run']))))[0]!.records).toEqual([]);
    await expect(collect(walkSingle(async () => ({ other: {} }), ctx(['run'])))).rejects.toThrow(
      PaginationError,
    );
  });
});
