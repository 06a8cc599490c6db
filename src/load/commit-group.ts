/**
 * The caps of a commit group: the pages of one walk committed in one transaction (commitPage with
 * several pages' records). Groups form in src/jobs/commit-groups.ts; the caps also bound what a
 * crash makes a walk fetch again. PUFFLE_COMMIT_GROUP_PAGES / _ROWS / _FETCH_MS.
 */
export interface CommitGroupCaps {
  /** Most pages per group, and uncommitted per walk. */
  pages: number;
  /** No further page past this many records (a group holds at least one page). */
  rows: number;
  /** No further page past this much fetch time (milliseconds). */
  fetchMs: number;
}

/**
 * 2,000 rows amortise a transaction's round trips (begin, COPY, statement, commit) over 4–20 API
 * pages while a walk holds at most about that many records uncommitted; 32 pages bound the small
 * pages' case; about 1 s of fetch work is what a crash may cost to fetch again.
 */
export const DEFAULT_COMMIT_GROUP: CommitGroupCaps = { pages: 32, rows: 2_000, fetchMs: 1_000 };
