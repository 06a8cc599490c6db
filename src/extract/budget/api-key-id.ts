import { createHash } from 'node:crypto';

/** A stable, non-reversible id for an API key (Redis key names, logs, job payloads). */
export function apiKeyId(apiKey: string): string {
  return createHash('sha256').update(`puffle-sync:${apiKey}`).digest('hex').slice(0, 16);
}
