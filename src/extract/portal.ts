/**
 * `GET /api/v1/partners/portal` — the short-lived (minutes) URL of Puffle's Svix app portal,
 * where webhook endpoints are added and their signing secrets shown. A read: it creates nothing
 * in Puffle, so it is not on the never-call list. A 404 means Puffle never created the Svix app
 * for this key (Puffle's docs: revoke the key and create a new one).
 */
import type { PuffleClient } from './client.ts';
import { PaginationError } from './errors/index.ts';

export const PORTAL_PATH = '/api/v1/partners/portal';

export async function fetchPortalUrl(client: PuffleClient, signal?: AbortSignal): Promise<string> {
  const body = (await client.get(PORTAL_PATH, undefined, { stream: 'portal', signal })) as {
    url?: unknown;
  } | null;
  if (typeof body?.url !== 'string' || !/^https?:\/\//.test(body.url))
    throw new PaginationError('portal', 'no_object', `GET ${PORTAL_PATH} answered without a portal url`);
  return body.url;
}
