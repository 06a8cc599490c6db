/**
 * Cursor walks. Every documented spelling is read wherever a cursor appears: the configured
 * `next`/`hasMore` paths first, then `pagination.{cursor,hasMore,has_more}`, top-level
 * `nextCursor`/`hasMore`, and `page.{nextCursor,hasMore}`. The walk ends on `hasMore: false`, a
 * null/absent next cursor, or an empty page; a cursor the server already gave is a PaginationError.
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { asBody, type Body, type FetchPage, readPath, recordsOf, type WalkContext } from './body.ts';
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
const MORE_PATHS = [
  'pagination.hasMore',
  'pagination.has_more',
  'hasMore',
  'has_more',
  'page.hasMore',
  'page.has_more',
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
    const done = records.length === 0 || hasMore(body, cfg.hasMore) === false || next === undefined;
    if (!done && given.has(next)) {
      throw new PaginationError(
        ctx.stream,
        `the server repeated cursor ${JSON.stringify(next.slice(0, 60))}; stopping instead of looping`,
      );
    }
    yield { records, resume: done ? null : { kind: 'cursor', cursor: next } };
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

function hasMore(body: Body, configured: string | undefined): boolean | undefined {
  for (const path of configured ? [configured, ...MORE_PATHS] : MORE_PATHS) {
    const v = readPath(body, path);
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}
