/**
 * The whole collection in one response: `GET /api/campaigns` → `{"campaigns":[…]}`. A response
 * that says it holds only part of the list (`hasMore: true`, or a `total` beyond its rows) is a
 * PaginationError: there is no way to ask for the rest, and taking it as the whole list would
 * sweep the rows left out.
 */
import { PaginationError } from '../errors/pagination-error.ts';
import { asBody, type FetchPage, numberAt, recordsOf, saysMore, type WalkContext } from './body.ts';
import type { Page } from './types.ts';

export async function* walkUnpaginated(fetchPage: FetchPage, ctx: WalkContext): AsyncGenerator<Page> {
  const body = asBody(ctx, await fetchPage({}));
  const records = recordsOf(ctx, body);
  if (saysMore(body) === true) {
    throw new PaginationError(
      ctx.stream,
      'more_without_cursor',
      `an unpaginated list of ${records.length} rows says hasMore: true; the rest cannot be asked for`,
    );
  }
  const total = numberAt(body, 'total');
  if (total !== undefined && total > records.length) {
    throw new PaginationError(
      ctx.stream,
      'total_beyond_rows',
      `an unpaginated list holds ${records.length} rows but says total ${total}; the rest cannot be asked for`,
    );
  }
  yield { records, resume: null };
}
