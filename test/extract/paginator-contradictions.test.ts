/**
 * Contradictions are errors, never completions (pure units, fake servers): every paginator refuses
 * a page that says there is more but gives no way to get it, and the no-progress guard ends every
 * walk whose pages bring nothing new, whatever the cursor does.
 */
import { describe, expect, it } from 'vitest';
import { PaginationError, type PaginationReason } from '../../src/extract/errors/index.ts';
import type { FetchPage, WalkContext } from '../../src/extract/paginators/body.ts';
import { walkCursor } from '../../src/extract/paginators/cursor.ts';
import { walkUnpaginated } from '../../src/extract/paginators/none.ts';
import { walkOffsets } from '../../src/extract/paginators/offset.ts';
import { walkPages } from '../../src/extract/paginators/page.ts';
import { guardProgress, MAX_PAGES_WITHOUT_PROGRESS } from '../../src/extract/paginators/progress.ts';
import type { CursorPaginator, Page } from '../../src/extract/paginators/types.ts';

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
