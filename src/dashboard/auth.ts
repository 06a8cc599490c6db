/**
 * Optional shared-secret protection for the dashboard: `Authorization: Bearer <token>` for
 * scrapers, or HTTP basic auth with the token as the password (any user name) for browsers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The presented secret, or undefined when the header carries none. */
export function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Comparing digests keeps the comparison constant-time whatever the lengths. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(expected), digest(presented));
}

/** Every request must carry `token`; paths in `open` pass without it. */
export function requireToken(token: string, open: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (open.includes(req.path) || tokenMatches(token, presentedToken(req.headers.authorization))) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="puffle-sync dashboard", charset="UTF-8"')
      .json({ error: 'unauthorized: send the dashboard token (Bearer, or as the basic-auth password)' });
  };
}
