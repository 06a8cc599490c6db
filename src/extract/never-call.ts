/**
 * docs/puffle-api.md, "Endpoints never called": GETs that change data in Puffle. Checked in `client.get()` for every
 * request, so no catalog entry, partition value or caller can reach them. The check runs on the
 * path as any server or proxy on the way might read it (`normalisedPath`), so percent-encoding,
 * dot segments, backslashes, doubled or trailing slashes and letter case cannot slip one past.
 *
 * Reviewed and allowed outside the catalog: `GET /api/v1/partners/portal` (`webhooks --portal`)
 * returns a short-lived Svix portal link and changes nothing.
 */
import { UnsafeEndpointError } from './errors/unsafe-endpoint-error.ts';

/** The GET paths refused whatever their query (docs/coverage.md marks each "never called"). */
export const FORBIDDEN: ReadonlyArray<{ path: RegExp; why: string }> = [
  {
    path: /^\/api\/threads\/[^/]+$/,
    why: 'it resets the thread unread count; use /api/threads/{id}/messages',
  },
  { path: /^\/api\/conversations\/[^/]+$/, why: 'it resets the conversation unread count' },
  { path: /^\/api\/email\/accounts\/warmup-analytics$/, why: 'it applies warmup status transitions' },
  { path: /^\/api\/unipile\/accounts$/, why: 'it may flip accounts to disconnected' },
];

/** Percent-decoding is repeated until the path is stable; more layers than this is refused. */
const MAX_DECODES = 4;

export function assertReadOnlyEndpoint(pathname: string, query: URLSearchParams): void {
  const path = normalisedPath(pathname);
  for (const rule of FORBIDDEN) {
    if (rule.path.test(path)) throw new UnsafeEndpointError(`refusing GET ${path}: ${rule.why}`);
  }
  const skipSync = query.getAll('skip_sync');
  if (path === '/api/email/domains' && (skipSync.length === 0 || skipSync.some((v) => v !== 'true'))) {
    throw new UnsafeEndpointError(
      'refusing GET /api/email/domains without skip_sync=true: it triggers a live DNS refresh',
    );
  }
}

/**
 * `pathname` decoded until stable, `\` read as `/`, `;params` dropped from each segment, `.` and
 * `..` resolved, empty segments (`//`, a trailing `/`) dropped, lower-cased.
 */
export function normalisedPath(pathname: string): string {
  let path = pathname;
  for (let i = 0; ; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw new UnsafeEndpointError(`refusing GET ${pathname}: malformed percent-encoding`);
    }
    if (decoded === path) break;
    if (i === MAX_DECODES) throw new UnsafeEndpointError(`refusing GET ${pathname}: nested percent-encoding`);
    path = decoded;
  }
  const segments: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw.split(';')[0]!;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`.toLowerCase();
}
