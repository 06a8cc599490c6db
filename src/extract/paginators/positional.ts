/**
 * Page and offset walks share one engine; they differ only in how a position is named.
 *
 * Self-correction strategy (see shift.ts for detection): a walk is a series of *passes* from the
 * first position. As soon as a pass sees the collection shift under it (rows may have been
 * skipped), the walk starts the next pass from the top — the rest of a dirty pass could not make
 * the walk complete anyway. The resume token carries `pass` and `total`, so a restarted worker
 * continues the same pass and still detects a change made while it was down (`total` differs).
 * The walk completes at the end of the first clean pass — every row that existed throughout
 * that pass was returned — or, when the collection keeps changing, at the end of pass
 * `maxPasses`, which is finished as well as it can be and reported through `onUnstable`.
 * Rows returned twice across passes are fine (the loader dedupes).
 *
 * Termination: an empty page, or `total` reached (`page×limit ≥ total`, `offset+count ≥ total`,
 * using the limit the server echoes, which may be below the one we asked). A short page alone is
 * not the end. Contradictions are PaginationErrors, never the end: an empty page whose own `total`
 * counts rows at or beyond its position (`total_beyond_rows`) or that says `hasMore: true`
 * (`more_on_empty_page`), rows on a position past `total`, a server echoing another position than
 * asked. A page repeating the previous one is caught by `guardProgress` (progress.ts).
 *
 * Endpoints that filter after paging (network connections' `hasMessages`) declare where their
 * page count is (`pagesAt`): then the walk ends only at `page ≥ totalPages`, a short or empty page
 * before it is normal, and the contradictions are a missing page count (`no_page_count`), one that
 * disagrees with the row count (`page_count_mismatch`) and rows on a page past it (`rows_past_total`).
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { asBody, type FetchPage, numberAt, recordsOf, saysMore, type WalkContext } from './body.ts';
import { type PageView, shifted, viewOf } from './shift.ts';
import type { Page, ResumeToken } from './types.ts';

export interface Positioning {
  kind: 'page' | 'offset';
  limit: number;
  /** First position of a pass: page 1 / offset 0. */
  first: number;
  query(position: number): Record<string, number>;
  /** Position echoed by the server, if any. */
  echoed(body: Record<string, unknown>): number | undefined;
  /** Index of the first row at `position`, for the past-total check. */
  startRow(position: number, limit: number): number;
  next(position: number, count: number, limit: number): number;
  /** Where the row count is. @default 'total' */
  totalAt?: string;
  /** Where the page count is, when pages may be short before the end (see above). */
  pagesAt?: string;
}

export async function* walkPositional(
  fetchPage: FetchPage,
  pos: Positioning,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  const maxPasses = ctx.maxPasses ?? 3;
  const saved = resume?.kind === pos.kind ? resume : undefined;
  let position = saved ? (saved.kind === 'page' ? saved.page : saved.offset) : pos.first;
  let pass = saved?.pass ?? 1;
  let dirty = false;
  let prevTotal = saved?.total;
  let prev: PageView | undefined;

  for (;;) {
    const body = asBody(ctx, await fetchPage(pos.query(position)));
    const records = recordsOf(ctx, body);
    const total = numberAt(body, pos.totalAt ?? 'total');
    const limit = numberAt(body, 'limit') ?? pos.limit;
    const echoed = pos.echoed(body);
    if (echoed !== undefined && echoed !== position) {
      throw new PaginationError(
        ctx.stream,
        'position_mismatch',
        `asked for ${pos.kind} ${position}, the server answered ${pos.kind} ${echoed}`,
      );
    }
    const startRow = pos.startRow(position, limit);
    if (total !== undefined && records.length > 0 && startRow >= total) {
      throw new PaginationError(
        ctx.stream,
        'rows_past_total',
        `${pos.kind} ${position} is past total ${total} but still has rows`,
      );
    }
    const pages = pos.pagesAt ? pageCount(ctx, pos, body, position, records.length, total, limit) : undefined;
    if (records.length === 0 && pages === undefined)
      refuseEmptyContradiction(ctx, pos, position, body, total, startRow);
    const view = viewOf(records, total);
    if (shifted(prev, prevTotal, view)) dirty = true;
    const meta = { total, [pos.kind]: position, pass };
    const mayBeShort = pages !== undefined;

    if (dirty && pass < maxPasses) {
      // Rows may have been skipped: the rest of this pass cannot make it complete, so start the
      // next pass from the top right away (cheaper than finishing a pass we must redo anyway).
      yield { records, resume: token(pos.kind, pos.first, total, pass + 1), meta, pass, mayBeShort };
      pass++;
      position = pos.first;
      dirty = false;
      prevTotal = undefined;
      prev = undefined;
      continue;
    }
    const next = pos.next(position, records.length, limit);
    const end =
      pages !== undefined
        ? position >= pages
        : records.length === 0 || (total !== undefined && pos.startRow(next, limit) >= total);
    if (end) {
      if (dirty)
        ctx.onUnstable?.(`${ctx.stream}: the collection kept changing for ${pass} passes; finished anyway`);
      yield { records, resume: null, meta, pass, mayBeShort };
      return;
    }
    yield { records, resume: token(pos.kind, next, total, pass), meta, pass, mayBeShort };
    position = next;
    prevTotal = total;
    prev = view;
  }
}

/** The page count of an endpoint that filters after paging, checked against the row count and the position. */
function pageCount(
  ctx: WalkContext,
  pos: Positioning,
  body: Record<string, unknown>,
  position: number,
  rows: number,
  total: number | undefined,
  limit: number,
): number {
  const pages = numberAt(body, pos.pagesAt!);
  if (pages === undefined)
    throw new PaginationError(
      ctx.stream,
      'no_page_count',
      `${pos.kind} ${position} has no "${pos.pagesAt}": pages here may be short before the end, so only it can end the walk`,
    );
  const expected = total === undefined || limit <= 0 ? undefined : Math.ceil(total / limit);
  if (expected !== undefined && pages !== expected && !(expected === 0 && pages === 1))
    throw new PaginationError(
      ctx.stream,
      'page_count_mismatch',
      `${pos.pagesAt} ${pages} disagrees with ${pos.totalAt ?? 'total'} ${total} at limit ${limit} (${expected} pages)`,
    );
  if (rows > 0 && position > pages)
    throw new PaginationError(
      ctx.stream,
      'rows_past_total',
      `${pos.kind} ${position} is past ${pos.pagesAt} ${pages} but still has rows`,
    );
  return pages;
}

/** An empty page is the end only when nothing in the same response says rows remain. */
function refuseEmptyContradiction(
  ctx: WalkContext,
  pos: Positioning,
  position: number,
  body: Record<string, unknown>,
  total: number | undefined,
  startRow: number,
): void {
  if (total !== undefined && startRow < total) {
    throw new PaginationError(
      ctx.stream,
      'total_beyond_rows',
      `${pos.kind} ${position} is empty but total ${total} counts rows from row ${startRow} on; the walk stays incomplete`,
    );
  }
  if (saysMore(body) === true) {
    throw new PaginationError(
      ctx.stream,
      'more_on_empty_page',
      `${pos.kind} ${position} is empty but says hasMore: true; the walk stays incomplete`,
    );
  }
}

function token(
  kind: 'page' | 'offset',
  position: number,
  total: number | undefined,
  pass: number,
): ResumeToken {
  const at = kind === 'page' ? { kind, page: position } : { kind, offset: position };
  return { ...at, ...(total === undefined ? {} : { total }), pass } as ResumeToken;
}
