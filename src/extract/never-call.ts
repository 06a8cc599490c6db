/**
 * SYNC-CATALOG "never call": GETs that change data in Puffle. Checked in `client.get()` for every
 * request, so no catalog entry, partition value or caller can reach them.
 *
 * Reviewed and allowed outside the catalog: `GET /api/v1/partners/portal` (`webhooks --portal`)
 * returns a short-lived Svix portal link and changes nothing.
 */
import { UnsafeEndpointError } from './errors/unsafe-endpoint-error.ts';

const FORBIDDEN: ReadonlyArray<{ path: RegExp; why: string }> = [
  {
    path: /^\/api\/threads\/[^/]+\/?$/,
    why: 'it resets the thread unread count; use /api/threads/{id}/messages',
  },
  { path: /^\/api\/conversations\/[^/]+\/?$/, why: 'it resets the conversation unread count' },
  { path: /^\/api\/email\/accounts\/warmup-analytics\/?$/, why: 'it applies warmup status transitions' },
  { path: /^\/api\/unipile\/accounts\/?$/, why: 'it may flip accounts to disconnected' },
];

export function assertReadOnlyEndpoint(pathname: string, query: URLSearchParams): void {
  const path = decodeURIComponent(pathname);
  for (const rule of FORBIDDEN) {
    if (rule.path.test(path)) throw new UnsafeEndpointError(`refusing GET ${path}: ${rule.why}`);
  }
  if (/^\/api\/email\/domains\/?$/.test(path) && query.get('skip_sync') !== 'true') {
    throw new UnsafeEndpointError(
      'refusing GET /api/email/domains without skip_sync=true: it triggers a live DNS refresh',
    );
  }
}
