/**
 * Page and offset walks share one engine; they differ only in how a position is named.
 *
 * Self-correction strategy (see shift.ts for detection): a walk is a series of *passes* from the
 * first position. When a pass saw the collection shift under it, it is dirty, and at its end the
 * walk starts another pass from the top instead of finishing (the resume token carries `pass`,
 * `total` and `dirty`, so this survives a restart). The walk completes after the first clean
 * pass — every row that existed throughout that pass was returned — or after `maxPasses`, in
 * which case `onUnstable` is told. Duplicates across passes are fine (the loader dedupes).
 *
 * Termination: an empty page, or `total` reached (`page×limit ≥ total`, `offset+count ≥ total`,
 * using the limit the server echoes, which may be below the one we asked). A short page alone is
 * not the end. Rows on a position past `total`, a page identical to the previous one with an
 * unchanged total, or a server echoing another position than asked → PaginationError.
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { asBody, type FetchPage, numberAt, recordsOf, type WalkContext } from './body.ts';
import { type PageView, samePage, shifted, viewOf } from './shift.ts';
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
}

export async function* walkPositional(
  fetchPage: FetchPage,
  pos: Positioning,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  const maxPasses = ctx.maxPasses ?? 3;
  const token = resume?.kind === pos.kind ? resume : undefined;
  let position = token ? (token.kind === 'page' ? token.page : token.offset) : pos.first;
  let pass = token?.pass ?? 1;
  let dirty = token?.dirty ?? false;
  let prevTotal = token?.total;
  let prev: PageView | undefined;

  for (;;) {
    const body = asBody(ctx, await fetchPage(pos.query(position)));
    const records = recordsOf(ctx, body);
    const total = numberAt(body, 'total');
    const limit = numberAt(body, 'limit') ?? pos.limit;
    const echoed = pos.echoed(body);
    if (echoed !== undefined && echoed !== position) {
      throw new PaginationError(
        ctx.stream,
        `asked for ${pos.kind} ${position}, the server answered ${pos.kind} ${echoed}`,
      );
    }
    if (total !== undefined && records.length > 0 && pos.startRow(position, limit) >= total) {
      throw new PaginationError(
        ctx.stream,
        `${pos.kind} ${position} is past total ${total} but still has rows`,
      );
    }
    const view = viewOf(records, total);
    if (samePage(prev, view) && (total === undefined || total === prevTotal)) {
      throw new PaginationError(
        ctx.stream,
        `${pos.kind} ${position} repeats the previous page; the server ignores ${pos.kind}`,
      );
    }
    if (shifted(prev, prevTotal, view)) dirty = true;

    const next = pos.next(position, records.length, limit);
    const end = records.length === 0 || (total !== undefined && pos.startRow(next, limit) >= total);
    const meta = { total, [pos.kind]: position, pass };
    if (!end) {
      yield {
        records,
        resume: {
          kind: pos.kind,
          ...at(pos.kind, next),
          total,
          pass,
          ...(dirty ? { dirty } : {}),
        } as ResumeToken,
        meta,
      };
      position = next;
      prevTotal = total;
      prev = view;
      continue;
    }
    if (dirty && pass < maxPasses) {
      pass++;
      yield {
        records,
        resume: { kind: pos.kind, ...at(pos.kind, pos.first), total, pass } as ResumeToken,
        meta,
      };
      position = pos.first;
      dirty = false;
      prevTotal = undefined;
      prev = undefined;
      continue;
    }
    if (dirty)
      ctx.onUnstable?.(`${ctx.stream}: the collection kept changing during ${pass} passes; finished anyway`);
    yield { records, resume: null, meta };
    return;
  }
}

function at(kind: 'page' | 'offset', position: number): { page: number } | { offset: number } {
  return kind === 'page' ? { page: position } : { offset: position };
}
