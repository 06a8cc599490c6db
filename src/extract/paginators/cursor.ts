/**
 * Cursor walks. Every documented spelling is read wherever a cursor appears: the configured
 * `next`/`hasMore` paths first, then `pagination.{cursor,hasMore,has_more}`, top-level
 * `nextCursor`/`hasMore`, and `page.{nextCursor,hasMore}`. The walk ends on `hasMore: false`, a
 * null/absent next cursor, or an empty page that does not say more follows.
 *
 * Contradictions are errors, never completions: `hasMore: true` without a next cursor is a
 * PaginationError (`more_without_cursor`) — taking it as the end would sweep every row not yet
 * read — and so is a cursor the server already gave (`repeated_cursor`), and a walk whose one and
 * only page says `total` is beyond its rows (`total_beyond_rows`; later pages are not compared
 * with a `total`: a list growing while it is walked would look the same). An empty page that says
 * more follows, with a cursor, is followed; `guardProgress` bounds a run of such pages.
 */
import { PaginationError } from '../errors/pagination-error.ts';
import {
  asBody,
  type Body,
  type FetchPage,
  numberAt,
  readPath,
  recordsOf,
  saysMore,
  type WalkContext,
} from './body.ts';
import type { CursorPaginator, Page, ResumeToken } from './types.ts';

const NEXT_PATHS = [
  'pagination.cursor',
  'pagination.nextCursor',
  'pagination.next_cursor',
  'nextCursor',
  'next_cursor',
  'page.nextCursor',
  'page.next_cursor',
];

export async function* walkCursor(
  fetchPage: FetchPage,
  cfg: CursorPaginator,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  let cursor = resume?.kind === 'cursor' ? resume.cursor : undefined;
  const given = new Set<string>(cursor ? [cursor] : []);
  for (;;) {
    const body = asBody(ctx, await fetchPage({ limit: cfg.limit, cursor }));
    const records = recordsOf(ctx, body);
    const next = nextCursor(body, cfg.next);
    const more = saysMore(body, cfg.hasMore);
    if (more === true && next === undefined) {
      throw new PaginationError(
        ctx.stream,
        'more_without_cursor',
        `a page of ${records.length} rows says hasMore: true but gives no next cursor; the walk stays incomplete`,
      );
    }
    const done = next === undefined || more === false || (records.length === 0 && more !== true);
    const total = numberAt(body, 'total');
    if (done && given.size === 0 && total !== undefined && total > records.length) {
      // The whole walk is this one response, so its own `total` must agree with its rows.
      throw new PaginationError(
        ctx.stream,
        'total_beyond_rows',
        `the only page holds ${records.length} rows and no next cursor, but says total ${total}; the walk stays incomplete`,
      );
    }
    if (!done && given.has(next)) {
      throw new PaginationError(
        ctx.stream,
        'repeated_cursor',
        `the server repeated cursor ${JSON.stringify(next.slice(0, 60))}; stopping instead of looping`,
      );
    }
    yield {
      records,
      resume: done ? null : { kind: 'cursor', cursor: next },
      ...(total === undefined ? {} : { meta: { total } }),
    };
    if (done) return;
    given.add(next);
    cursor = next;
  }
}

/** The next cursor, or undefined at the end. The first path present decides (null = end). */
function nextCursor(body: Body, configured: string): string | undefined {
  for (const path of [configured, ...NEXT_PATHS]) {
    const v = readPath(body, path);
    if (v === undefined) continue;
    if (typeof v === 'number') return String(v);
    return typeof v === 'string' && v !== '' ? v : undefined;
  }
  return undefined;
}
