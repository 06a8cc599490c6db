/**
 * What keeps web pages away from a dashboard they can reach through the user's browser:
 *
 * - `hostGuard` — DNS rebinding: a page on attacker.example whose name is made to resolve to
 *   127.0.0.1 still sends `Host: attacker.example`. Only requests naming the dashboard answer:
 *   an IP address (a rebinding page cannot send one: its own origin is a name), `localhost`, the
 *   bound host name, or a name in the allow-list (`PUFFLE_DASHBOARD_ALLOWED_HOSTS`). Others: 421.
 * - `sameOriginWrites` — cross-site requests (CSRF): a state-changing request must carry JSON
 *   when it carries a body, send no other Content-Type (the only ones a browser sends cross-site
 *   without asking first are forms and text/plain), and come from this origin when it says where
 *   it comes from (`Origin`, `Sec-Fetch-Site`). Bull Board's own buttons send bodyless PUTs from
 *   the page itself, which pass.
 * - `readOnlyQueues` — without a token, Bull Board's API accepts reads only.
 */
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** `Host: name:port` → `name` (lower case, no brackets, no trailing dot); undefined when absent. */
export function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().toLowerCase();
  const name = value.startsWith('[') ? value.slice(1, value.indexOf(']')) : value.split(':')[0]!;
  return name.replace(/\.$/, '') || undefined;
}

export function isAllowedHost(
  header: string | undefined,
  opts: { bound: string; allowed: readonly string[] },
): boolean {
  const name = hostnameOf(header);
  if (!name) return false;
  if (isIP(name) !== 0 || name === 'localhost') return true;
  const bound = opts.bound.toLowerCase().replace(/^\[|\]$/g, '');
  if (!WILDCARDS.has(bound) && name === bound) return true;
  return opts.allowed.some((a) => a.toLowerCase().replace(/\.$/, '') === name);
}

export function hostGuard(opts: { bound: string; allowed: readonly string[] }): RequestHandler {
  return (req, res, next) => {
    if (isAllowedHost(req.headers.host, opts)) {
      next();
      return;
    }
    res.status(421).json({
      error:
        'this dashboard does not answer to that host name; add it to PUFFLE_DASHBOARD_ALLOWED_HOSTS (--allowed-hosts) if it is yours',
    });
  };
}

/** Why a state-changing request is refused, or undefined when it may go on. */
export function crossSiteReason(req: {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}): string | undefined {
  if (READS.has(req.method.toUpperCase())) return undefined;
  const h = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const type = h('content-type');
  const hasBody = Number(h('content-length') ?? 0) > 0 || h('transfer-encoding') !== undefined;
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type.trim()))
    return 'state-changing requests must send Content-Type: application/json';
  if (hasBody && type === undefined) return 'a request body must be sent as Content-Type: application/json';
  const site = h('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return 'cross-site requests cannot change anything here';
  const origin = h('origin');
  if (origin !== undefined && originHost(origin) !== h('host')?.toLowerCase())
    return 'cross-origin requests cannot change anything here';
  return undefined;
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined; // `Origin: null` (sandboxed frames, file://) is never this dashboard
  }
}

export const sameOriginWrites: RequestHandler = (req, res, next) => {
  const reason = crossSiteReason(req);
  if (reason === undefined) next();
  else res.status(403).json({ error: reason });
};

export function readOnlyQueues(readOnly: boolean): RequestHandler {
  return (req, res, next) => {
    if (!readOnly || READS.has(req.method)) next();
    else
      res.status(405).json({
        error:
          'the dashboard is read-only: set PUFFLE_DASHBOARD_TOKEN (and leave out --read-only) to allow Bull Board actions',
      });
  };
}
