/** The whole collection in one response: `GET /api/campaigns` → `{"campaigns":[…]}`. */

import { asBody, type FetchPage, recordsOf, type WalkContext } from './body.ts';
import type { Page } from './types.ts';

export async function* walkUnpaginated(fetchPage: FetchPage, ctx: WalkContext): AsyncGenerator<Page> {
  const body = asBody(ctx, await fetchPage({}));
  yield { records: recordsOf(ctx, body), resume: null };
}
