/**
 * A walk that cannot be trusted to end or to be complete. The walk stops where it is: the pages
 * before it stay committed, the walk is not marked complete, and nothing is swept. Its `reason`
 * says what the source did (docs/operations.md lists them):
 * - `more_without_cursor`: a page says there is more (`hasMore: true`) but gives no next cursor;
 * - `total_beyond_rows`: a page is empty (or a list answered in one page is short) while `total` counts rows beyond it;
 * - `more_on_empty_page`: an empty page of a page/offset walk says `hasMore: true`;
 * - `no_progress`: pages keep bringing only rows this walk has already seen, whatever the cursor does;
 * - `repeated_cursor`: the server handed out a cursor it had already given in this walk;
 * - `rows_past_total`: rows on a position past `total`;
 * - `position_mismatch`: the server answered another page/offset than the one asked;
 * - `no_page_count`: a walk that only a page count can end (pages filtered after paging) got none;
 * - `page_count_mismatch`: the page count disagrees with the row count and the page size;
 * - `not_an_object`, `no_records_array`, `no_object`: the response is not shaped as documented.
 */
export type PaginationReason =
  | 'more_without_cursor'
  | 'total_beyond_rows'
  | 'more_on_empty_page'
  | 'no_progress'
  | 'repeated_cursor'
  | 'rows_past_total'
  | 'position_mismatch'
  | 'no_page_count'
  | 'page_count_mismatch'
  | 'not_an_object'
  | 'no_records_array'
  | 'no_object';

export class PaginationError extends Error {
  static readonly code = 'pagination';
  readonly code = PaginationError.code;
  readonly reason: PaginationReason;
  readonly stream: string;

  constructor(stream: string, reason: PaginationReason, message: string, opts: { cause?: unknown } = {}) {
    // The reason rides in the message: sync_runs keeps the code and the text, not the reason.
    super(`${stream}: ${message} (${reason})`, { cause: opts.cause });
    this.name = this.constructor.name;
    this.reason = reason;
    this.stream = stream;
  }
}
