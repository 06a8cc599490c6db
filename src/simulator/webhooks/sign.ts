/**
 * Svix signing, written from the published scheme rather than taken from a library, so the
 * simulator checks the sync's verifier instead of agreeing with it by construction:
 * `v1,` + base64(HMAC-SHA256(key, `${msgId}.${unixSeconds}.${body}`)), where the key is the
 * base64 text after `whsec_`.
 */
import { createHmac, randomBytes } from 'node:crypto';

export function signPayload(secret: string, msgId: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** A fresh signing secret in Svix's format (24 random bytes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Svix-style message id (`msg_` + 27 base62 characters). */
export function messageId(): string {
  return `msg_${[...randomBytes(27)].map((b) => BASE62[b % 62]).join('')}`;
}
