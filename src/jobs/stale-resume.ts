/**
 * A resume point the API no longer accepts. Cursors expire: a walk interrupted yesterday resumes
 * today from a cursor that Puffle now answers with 400 (or 404). Failing on it would fail the
 * stream on every run, so the walk restarts from its beginning, once, with a warning. The rule is
 * narrow: only the very first request of a walk resumed from a stored cursor/page, and only once
 * (the restarted walk sends no resume point, so a 400 on it is a real error). A 404 on a child
 * partition walked from the beginning keeps its meaning: the parent vanished.
 */

import type { ResumeToken } from '../extract/index.ts';
import { RequestRejectedError } from '../extract/index.ts';

export function isStaleResumePoint(
  walk: { resume: ResumeToken | null },
  pagesCommitted: number,
  err: unknown,
): err is RequestRejectedError {
  if (walk.resume === null || pagesCommitted > 0) return false;
  return err instanceof RequestRejectedError && (err.status === 400 || err.isNotFound);
}

export function staleResumeWarning(stream: string, partition: string, err: RequestRejectedError): string {
  const where = partition ? `${stream} (partition ${partition})` : stream;
  return `${where}: Puffle rejected the stored resume point (${err.status}); restarting this walk from the beginning`;
}
