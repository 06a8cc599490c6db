/** Offset walks: `?offset=200&limit=100` → `{"results":[…],"total":950,"offset":200,"limit":100}`.
 * The next offset advances by the rows received, so a server capping `limit` loses nothing. */

import { type FetchPage, numberAt, type WalkContext } from './body.ts';
import { walkPositional } from './positional.ts';
import type { OffsetPaginator, Page, ResumeToken } from './types.ts';

export function walkOffsets(
  fetchPage: FetchPage,
  cfg: OffsetPaginator,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  return walkPositional(
    fetchPage,
    {
      kind: 'offset',
      limit: cfg.limit,
      first: 0,
      query: (offset) => ({ offset, limit: cfg.limit }),
      echoed: (body) => numberAt(body, 'offset'),
      startRow: (offset) => offset,
      next: (offset, count) => offset + count,
    },
    ctx,
    resume,
  );
}
