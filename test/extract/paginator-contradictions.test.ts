/**
 * Contradictions are errors, never completions (pure units, fake servers): every paginator refuses
 * a page that says there is more but gives no way to get it, and the no-progress guard ends every
 * walk whose pages bring nothing new, whatever the cursor does. A page walk bounded by
 * `totalPages` (network connections, filtered after paging) walks past short and empty pages.
 */
import { describe, expect, it } from 'vitest';
import { PaginationError, type PaginationReason } from '../../src/extract/errors/index.ts';
import type { FetchPage, WalkContext } from '../../src/extract/paginators/body.ts';
import { walkCursor } from '../../src/extract/paginators/cursor.ts';
import { walkUnpaginated } from '../../src/extract/paginators/none.ts';
import { walkOffsets } from '../../src/extract/paginators/offset.ts';
import { walkPages } from '../../src/extract/paginators/page.ts';
import { guardProgress, MAX_PAGES_WITHOUT_PROGRESS } from '../../src/extract/paginators/progress.ts';
import type { CursorPaginator, Page, PagePaginator } from '../../src/extract/paginators/types.ts';

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}` }));
const ctx: WalkContext = { stream: 'test_stream', recordsAt: ['items'] };
const CURSOR: CursorPaginator = { kind: 'cursor', limit: 3, next: 'nextCursor', hasMore: 'hasMore' };

/** Collects pages until the walk ends or throws; returns both. */
async function walk(gen: AsyncGenerator<Page>): Promise<{ pages: Page[]; error?: PaginationError }> {
  const pages: Page[] = [];
  try {
    for await (const p of guardProgress(gen, ctx)) pages.push(p);
    return { pages };
  } catch (err) {
    if (!(err instanceof PaginationError)) throw err;
    return { pages, error: err };
  }
}

function expectCode(error: PaginationError | undefined, reason: PaginationReason) {
  expect(error, `expected a PaginationError ${reason}`).toBeInstanceOf(PaginationError);
  expect(error!.code).toBe(PaginationError.code);
  expect(error!.reason).toBe(reason);
  expect(error!.message).toContain(`(${reason})`);
  expect(error!.stream).toBe('test_stream');
}

/** A fake server answering the n-th request (1-based) with `answer(n, query)`. */
function scripted(answer: (n: number, q: Record<string, unknown>) => Record<string, unknown>) {
  let n = 0;
  const fetchPage: FetchPage = async (q) => answer(++n, q);
  return { fetchPage, requests: () => n };
}

describe('cursor walks refuse contradictions', () => {
  it('hasMore true with no next cursor is more_without_cursor; the walk is never complete', async () => {
    const server = scripted((n) =>
      n === 1 ? { items: rows(3), nextCursor: 'c1', hasMore: true } : { items: rows(3, 3), hasMore: true },
    );
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'more_without_cursor');
    expect(pages).toHaveLength(1);
    expect(pages.every((p) => p.resume !== null)).toBe(true);
  });

  it('an empty first page saying hasMore with no cursor (list leads, issue 11) is refused too', async () => {
    const server = scripted(() => ({ items: [], nextCursor: null, hasMore: true, total: 40 }));
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'more_without_cursor');
    expect(pages).toEqual([]);
  });

  it('a walk of one page whose total is beyond its rows is total_beyond_rows', async () => {
    const server = scripted(() => ({ items: rows(5), nextCursor: null, hasMore: false, total: 40 }));
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'total_beyond_rows');
    expect(pages).toEqual([]);
    // A last page after others is not compared with total (a list growing while walked).
    const growing = scripted((n) =>
      n === 1
        ? { items: rows(3), nextCursor: 'c1', hasMore: true, total: 6 }
        : { items: rows(2, 3), nextCursor: null, hasMore: false, total: 8 },
    );
    expect((await walk(walkCursor(growing.fetchPage, CURSOR, ctx, null))).error).toBeUndefined();
  });

  it('an empty first page with no next cursor is an empty partition, not an error', async () => {
    const server = scripted(() => ({ items: [], nextCursor: null }));
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expect(error).toBeUndefined();
    expect(pages).toEqual([{ records: [], resume: null }]);
  });

  it('an empty page that says more follows, with a cursor, is followed', async () => {
    const server = scripted((n) =>
      n === 1 ? { items: [], nextCursor: 'c1', hasMore: true } : { items: rows(2), nextCursor: null },
    );
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expect(error).toBeUndefined();
    expect(pages.flatMap((p) => p.records)).toEqual(rows(2));
    expect(pages.at(-1)!.resume).toBeNull();
  });

  it('a new cursor on every page with the same rows ends with no_progress on the second page', async () => {
    const server = scripted((n) => ({ items: rows(3), nextCursor: `fresh-${n}`, hasMore: true }));
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'no_progress');
    expect(pages).toHaveLength(1);
    expect(server.requests()).toBe(2);
  });

  it('a cursor that wraps around to the start ends after a bounded number of pages', async () => {
    // Six rows in two pages, then the "next" cursor starts over with fresh cursor strings.
    const server = scripted((n) => ({
      items: rows(3, ((n - 1) % 2) * 3),
      nextCursor: `c${n}`,
      hasMore: true,
    }));
    const { pages, error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'no_progress');
    expect(server.requests()).toBe(2 + MAX_PAGES_WITHOUT_PROGRESS);
    expect(pages.every((p) => p.resume !== null)).toBe(true);
  });

  it('endless empty pages that say more follow end with no_progress', async () => {
    const server = scripted((n) => ({ items: [], nextCursor: `e${n}`, hasMore: true }));
    const { error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'no_progress');
    expect(server.requests()).toBe(MAX_PAGES_WITHOUT_PROGRESS);
  });

  it('a repeated cursor keeps its own code', async () => {
    const server = scripted((n) => ({ items: rows(2, n * 2), nextCursor: n > 2 ? 'c1' : `c${n}` }));
    const { error } = await walk(walkCursor(server.fetchPage, CURSOR, ctx, null));
    expectCode(error, 'repeated_cursor');
  });
});

describe('page and offset walks refuse contradictions', () => {
  it('an empty page while total counts rows beyond it is total_beyond_rows', async () => {
    const server = scripted((n) =>
      n === 1 ? { items: rows(3), total: 9, page: 1, limit: 3 } : { items: [], total: 9, page: n, limit: 3 },
    );
    const { pages, error } = await walk(walkPages(server.fetchPage, { kind: 'page', limit: 3 }, ctx, null));
    expectCode(error, 'total_beyond_rows');
    expect(pages).toHaveLength(1);
    expect(pages[0]!.resume).not.toBeNull();
  });

  it('an empty first page with a positive total is refused', async () => {
    const server = scripted(() => ({ items: [], total: 412, page: 1, limit: 100 }));
    const { pages, error } = await walk(walkPages(server.fetchPage, { kind: 'page', limit: 100 }, ctx, null));
    expectCode(error, 'total_beyond_rows');
    expect(pages).toEqual([]);
  });

  it('an empty first page with total 0 (or none) is an empty partition', async () => {
    for (const body of [{ items: [], total: 0, page: 1 }, { items: [] }]) {
      const { pages, error } = await walk(walkPages(async () => body, { kind: 'page', limit: 5 }, ctx, null));
      expect(error).toBeUndefined();
      expect(pages).toHaveLength(1);
      expect(pages[0]!.resume).toBeNull();
    }
  });

  it('an empty offset page saying hasMore is more_on_empty_page', async () => {
    const server = scripted((n) =>
      n === 1
        ? { items: rows(4), offset: 0, limit: 4, hasMore: true }
        : { items: [], offset: 4, hasMore: true },
    );
    const { error } = await walk(walkOffsets(server.fetchPage, { kind: 'offset', limit: 4 }, ctx, null));
    expectCode(error, 'more_on_empty_page');
  });

  it('an empty offset page with total beyond its offset is total_beyond_rows', async () => {
    const server = scripted((n) =>
      n === 1 ? { items: rows(4), offset: 0, total: 20 } : { items: [], offset: 4, total: 20 },
    );
    const { error } = await walk(walkOffsets(server.fetchPage, { kind: 'offset', limit: 4 }, ctx, null));
    expectCode(error, 'total_beyond_rows');
  });

  it('pages that cycle through rows already seen (no total) end with no_progress', async () => {
    const server = scripted((n) => ({ items: rows(3, ((n - 1) % 2) * 3) }));
    const { error } = await walk(walkPages(server.fetchPage, { kind: 'page', limit: 3 }, ctx, null));
    expectCode(error, 'no_progress');
    expect(server.requests()).toBeLessThanOrEqual(2 + MAX_PAGES_WITHOUT_PROGRESS);
  });

  it('a second pass re-reading rows on purpose is not a lack of progress', async () => {
    const data = rows(15);
    let call = 0;
    const fetchPage: FetchPage = async (q) => {
      if (++call === 2) data.splice(0, 3);
      const start = (Number(q.page) - 1) * 5;
      return { items: data.slice(start, start + 5), total: data.length, page: Number(q.page), limit: 5 };
    };
    const { pages, error } = await walk(walkPages(fetchPage, { kind: 'page', limit: 5 }, ctx, null));
    expect(error).toBeUndefined();
    expect(pages.at(-1)!.resume).toBeNull();
    expect(pages.map((p) => p.pass)).toEqual([1, 1, 2, 2, 2]);
  });
});

describe('unpaginated lists refuse a partial answer', () => {
  it('hasMore true is more_without_cursor', async () => {
    const { error } = await walk(walkUnpaginated(async () => ({ items: rows(2), hasMore: true }), ctx));
    expectCode(error, 'more_without_cursor');
  });

  it('a total beyond the rows is total_beyond_rows', async () => {
    const { error } = await walk(walkUnpaginated(async () => ({ items: rows(2), total: 5 }), ctx));
    expectCode(error, 'total_beyond_rows');
  });

  it('an empty list is complete', async () => {
    const { pages, error } = await walk(walkUnpaginated(async () => ({ items: [] }), ctx));
    expect(error).toBeUndefined();
    expect(pages).toEqual([{ records: [], resume: null }]);
  });
});

const NETWORK: PagePaginator = { kind: 'page', limit: 3, total: 'count', totalPages: 'totalPages' };

/** Network connections' spelling: `count`, `page`, `limit`, `totalPages`, filtered after paging. */
const walkNetwork = (fetchPage: FetchPage, resume: Page['resume'] = null) =>
  walk(walkPages(fetchPage, NETWORK, ctx, resume));

/** A server of `count` rows, 3 a page, that drops the rows `hidden` says after paging. */
function filtering(count: number, hidden: (id: string) => boolean, extra: Record<string, unknown> = {}) {
  const asked: number[] = [];
  const fetchPage: FetchPage = async (q) => {
    const page = Number(q.page);
    asked.push(page);
    const items = rows(Math.max(0, Math.min(3, count - (page - 1) * 3)), (page - 1) * 3).filter(
      (r) => !hidden(r.id),
    );
    return { items, count, page, limit: 3, totalPages: Math.ceil(count / 3), ...extra };
  };
  return { fetchPage, asked };
}

describe('a page walk bounded by totalPages', () => {
  it('walks past short and empty pages to page totalPages, and only then completes', async () => {
    // Pages 2, 3 and 4 come back empty (more than the no-progress guard's three), page 5 short.
    const hidden = (id: string) => {
      const n = Number(id.slice(1));
      return (n >= 3 && n < 12) || n === 13;
    };
    const server = filtering(14, hidden);
    const { pages, error } = await walkNetwork(server.fetchPage);
    expect(error).toBeUndefined();
    expect(server.asked).toEqual([1, 2, 3, 4, 5]);
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(['r0', 'r1', 'r2', 'r12']);
    expect(pages.map((p) => p.resume === null)).toEqual([false, false, false, false, true]);
  });

  it('resumes at the page after the last committed one', async () => {
    const server = filtering(9, () => false);
    const { pages } = await walkNetwork(server.fetchPage, { kind: 'page', page: 3, total: 9, pass: 1 });
    expect(server.asked).toEqual([3]);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.resume).toBeNull();
  });

  it('an empty collection (count 0, totalPages 0 or 1) completes on its first page', async () => {
    for (const totalPages of [0, 1]) {
      const fetchPage: FetchPage = async () => ({ items: [], count: 0, page: 1, limit: 3, totalPages });
      const { pages, error } = await walkNetwork(fetchPage);
      expect(error).toBeUndefined();
      expect(pages.map((p) => p.resume)).toEqual([null]);
    }
  });
});

describe('a page walk bounded by totalPages refuses contradictions', () => {
  it('no totalPages is no_page_count: a short page could not end it', async () => {
    const fetchPage: FetchPage = async (q) => ({ items: rows(1), count: 9, page: Number(q.page), limit: 3 });
    const { pages, error } = await walkNetwork(fetchPage);
    expectCode(error, 'no_page_count');
    expect(pages).toHaveLength(0);
  });

  it('a totalPages that disagrees with count and limit is page_count_mismatch', async () => {
    const server = filtering(9, () => false, { totalPages: 2 });
    const { error } = await walkNetwork(server.fetchPage);
    expectCode(error, 'page_count_mismatch');
  });

  it('rows on a page past totalPages are rows_past_total', async () => {
    const fetchPage: FetchPage = async (q) => ({
      items: rows(3, 30),
      count: 6,
      page: Number(q.page),
      limit: 3,
      totalPages: 2,
    });
    const { error } = await walkNetwork(fetchPage, { kind: 'page', page: 3, total: 6, pass: 1 });
    expectCode(error, 'rows_past_total');
  });

  it('an answer for another page is position_mismatch', async () => {
    const fetchPage: FetchPage = async () => ({ items: rows(3), count: 9, page: 1, limit: 3, totalPages: 3 });
    const { pages, error } = await walkNetwork(fetchPage);
    expectCode(error, 'position_mismatch');
    expect(pages).toHaveLength(1);
  });

  it('a server repeating the same full page is still stopped by the no-progress guard', async () => {
    const fetchPage: FetchPage = async (q) => ({
      items: rows(3),
      count: 300,
      page: Number(q.page),
      limit: 3,
      totalPages: 100,
    });
    const { error } = await walkNetwork(fetchPage);
    expectCode(error, 'no_progress');
  });
});
