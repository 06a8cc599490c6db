/**
 * Paginator configurations: a discriminated union, one small variant per Puffle pagination style.
 * The implementation of each kind is one async generator in this folder.
 */

/** Cursor pagination. `GET /api/signals?limit=100&cursor=…` →
 * `{"signals":[…],"pagination":{"cursor":"abc","hasMore":true,"count":100}}`.
 * `next` and `hasMore` are dotted paths into the response body; every documented spelling is
 * also tried (`pagination.has_more`, top-level `nextCursor`, `page.nextCursor`). */
export interface CursorPaginator {
  kind: 'cursor';
  /** Page size sent as `limit` (the endpoint's documented maximum). */
  limit: number;
  /** Where the next cursor is, e.g. `pagination.cursor`, `nextCursor`, `page.nextCursor`. */
  next: string;
  /** Where the "more pages" flag is, when the endpoint has one. */
  hasMore?: string;
}

/** Page pagination, 1-based. `GET /api/threads?page=2&limit=100` → `{"threads":[…],"total":412,"page":2,"limit":100}`. */
export interface PagePaginator {
  kind: 'page';
  limit: number;
  /** Where the row count is. @default 'total' */
  total?: string;
  /**
   * Where the page count is, for endpoints that filter after paging (`GET /api/network/connections?page=2`
   * → `{"connections":[…],"count":412,"page":2,"limit":100,"totalPages":5}`): then only `page ≥ totalPages`
   * ends the walk, and a short or empty page before it does not.
   */
  totalPages?: string;
}

/** Offset pagination. `GET /api/leads/search/results?taskId=…&offset=200&limit=100` →
 * `{"results":[…],"total":950,"offset":200,"limit":100}`. */
export interface OffsetPaginator {
  kind: 'offset';
  limit: number;
}

/** The whole collection in one response: `GET /api/campaigns` → `{"campaigns":[…]}`. */
export interface NoPaginator {
  kind: 'none';
}

/** One object: `GET /api/enrichment/{id}` → `{"run":{…}}`. */
export interface SingleObject {
  kind: 'single';
}

export type PaginatorConfig = CursorPaginator | PagePaginator | OffsetPaginator | NoPaginator | SingleObject;

/** Where a walk stopped; JSON, stored in `sync_state.resume`, validated on read. */
export type ResumeToken =
  | { kind: 'cursor'; cursor: string }
  | { kind: 'page'; page: number; total?: number; pass?: number }
  | { kind: 'offset'; offset: number; total?: number; pass?: number };

/** One page of a walk. `resume` is where the *next* page starts; `null` once the walk is complete. */
export interface Page {
  records: Record<string, unknown>[];
  resume: ResumeToken | null;
  /** Raw response body fields other than the records (e.g. `total`), for diagnostics. */
  meta?: Record<string, unknown>;
  /** Page/offset walks: the pass over the collection this page belongs to (a new pass re-reads rows on purpose). */
  pass?: number;
  /** The endpoint filters after paging: a short or empty page is normal before the end (progress.ts). */
  mayBeShort?: boolean;
}
