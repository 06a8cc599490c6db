/** Page walks (1-based): `?page=2&limit=100` → `{"threads":[…],"total":412,"page":2,"limit":100}`. */

import { type FetchPage, numberAt, type WalkContext } from './body.ts';
import { walkPositional } from './positional.ts';
import type { Page, PagePaginator, ResumeToken } from './types.ts';

export function walkPages(
  fetchPage: FetchPage,
  cfg: PagePaginator,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  return walkPositional(
    fetchPage,
    {
      kind: 'page',
      limit: cfg.limit,
      first: 1,
      query: (page) => ({ page, limit: cfg.limit }),
      echoed: (body) => numberAt(body, 'page'),
      startRow: (page, limit) => (page - 1) * limit,
      next: (page) => page + 1,
      totalAt: cfg.total,
      pagesAt: cfg.totalPages,
    },
    ctx,
    resume,
  );
}
