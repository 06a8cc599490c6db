/**
 * Delivery verification, the Svix / Standard Webhooks scheme, through the `standardwebhooks`
 * package (Svix's own SDK delegates to it; its current major needs Node 22, this runs on 20):
 * HMAC-SHA256 of `{id}.{timestamp}.{body}` with the `whsec_` secret, any `v1,` signature of the
 * space-separated list may match, and the timestamp must lie within 5 minutes of now (the
 * package's fixed tolerance), which bounds how long a captured delivery can be replayed at all.
 *
 * Svix sends `svix-id` / `svix-timestamp` / `svix-signature`; the unbranded `webhook-*` names are
 * accepted too. Several secrets may be configured (a rotation): a delivery signed by any passes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Verifier {
  /** The message id when the delivery is authentic; undefined otherwise (never throws). */
  verify(body: Buffer, headers: IncomingHttpHeaders): string | undefined;
}

export function createVerifier(secrets: readonly string[]): Verifier {
  if (secrets.length === 0) throw new TypeError('at least one webhook secret is required');
  const hooks = secrets.map((s) => new Webhook(s));
  return {
    verify(body, headers) {
      const one = (name: string) => {
        const v = headers[`svix-${name}`] ?? headers[`webhook-${name}`];
        return Array.isArray(v) ? v[0] : v;
      };
      const unbranded = {
        'webhook-id': one('id') ?? '',
        'webhook-timestamp': one('timestamp') ?? '',
        'webhook-signature': one('signature') ?? '',
      };
      if (!unbranded['webhook-id']) return undefined;
      for (const hook of hooks) {
        try {
          hook.verify(body, unbranded, { jsonParse: false });
          return unbranded['webhook-id'];
        } catch {
          // not this secret (or not authentic at all)
        }
      }
      return undefined;
    },
  };
}
