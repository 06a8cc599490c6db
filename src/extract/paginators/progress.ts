/**
 * The one no-progress guard, around every walk whatever its pagination: a walk whose pages keep
 * bringing only rows it has already seen is going nowhere — a server ignoring the page parameter,
 * a cursor that changes on every page while the rows repeat, a cursor that wraps around to the
 * start — and would never end by itself. It stops with a PaginationError (`no_progress`):
 * - at once when a page holds exactly the rows of the page before it (with an unchanged `total`);
 * - after `MAX_PAGES_WITHOUT_PROGRESS` pages in a row with no row new to this walk.
 * An empty page that is not the last counts as one without progress, except where the endpoint
 * filters after paging (`mayBeShort`: its page count bounds the walk). A page/offset walk starting
 * a new pass re-reads rows on purpose, so the rows seen are forgotten at each new pass.
 *
 * Rows are remembered by a 53-bit hash of their identity (`rowIdentity`), so a walk of a million
 * rows holds a million numbers, not a million strings.
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { type Row, rowIdentity, type WalkContext } from './body.ts';
import type { Page } from './types.ts';

export const MAX_PAGES_WITHOUT_PROGRESS = 3;

export async function* guardProgress(pages: AsyncGenerator<Page>, ctx: WalkContext): AsyncGenerator<Page> {
  const seen = new Set<number>();
  let pass: number | undefined;
  let previous: { ids: Set<number>; total: unknown } | undefined;
  let stale = 0;
  let n = 0;
  for await (const page of pages) {
    n++;
    if (page.pass !== pass) {
      seen.clear();
      previous = undefined;
      stale = 0;
      pass = page.pass;
    }
    const ids = new Set(page.records.map(identityHash));
    const total = page.meta?.total;
    if (previous && ids.size > 0 && sameIds(previous.ids, ids) && previous.total === total) {
      throw noProgress(ctx, `page ${n} of this walk repeats the previous page exactly`);
    }
    let fresh = 0;
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      fresh++;
    }
    const filteredOut = page.mayBeShort === true && ids.size === 0;
    stale = fresh === 0 && !filteredOut && page.resume !== null ? stale + 1 : 0;
    if (stale >= MAX_PAGES_WITHOUT_PROGRESS) {
      throw noProgress(ctx, `${stale} pages in a row brought no row new to this walk`);
    }
    previous = { ids, total };
    yield page;
  }
}

function noProgress(ctx: WalkContext, detail: string): PaginationError {
  return new PaginationError(
    ctx.stream,
    'no_progress',
    `${detail}; stopping instead of following the server in circles`,
  );
}

function sameIds(a: Set<number>, b: Set<number>): boolean {
  if (a.size !== b.size) return false;
  for (const id of b) if (!a.has(id)) return false;
  return true;
}

/** cyrb53: a fast 53-bit string hash; collisions are negligible at any walk's size. */
function identityHash(row: Row): number {
  const text = rowIdentity(row);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
