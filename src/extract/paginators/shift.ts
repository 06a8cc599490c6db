/**
 * Page-shift detection for positional (page / offset) walks over a collection that changes while
 * we walk it. Rows inserted before the next page's first position push rows down (they come back
 * as duplicates — harmless, the loader dedupes); rows deleted before it pull rows up across the
 * boundary, and those rows are never seen (a skip — not harmless). A skip leaves no trace in the
 * ids we get, so we detect the *possibility* of one between two consecutive pages:
 *
 *   δ = total(now) − total(previous page), o = rows of this page already on the previous page.
 *   Pure inserts before the boundary give o = δ (clean). Anything else — δ ≠ o, or o > 0 with no
 *   total to compare — means something was deleted or moved: the pass is *dirty*.
 *
 * This is conservative: appends after the boundary also mark the pass dirty. Changes that keep
 * `total` constant and produce no overlap (one row deleted before the boundary while another is
 * appended after it, between the same two requests) cannot be seen through page pagination;
 * the next run's walk picks those rows up.
 */
import { type Row, rowIdentity } from './body.ts';

export interface PageView {
  total: number | undefined;
  ids: Set<string>;
}

export function viewOf(records: Row[], total: number | undefined): PageView {
  return { total, ids: new Set(records.map(rowIdentity)) };
}

export function shifted(prev: PageView | undefined, prevTotal: number | undefined, cur: PageView): boolean {
  let overlap = 0;
  if (prev) for (const id of cur.ids) if (prev.ids.has(id)) overlap++;
  if (prevTotal === undefined || cur.total === undefined) return overlap > 0;
  return cur.total - prevTotal !== overlap;
}
