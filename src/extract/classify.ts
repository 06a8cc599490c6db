/**
 * Pure response classification. Puffle documents two error envelopes — `{"error":{"code","message"}}`
 * and `{"error":"text"}` — and both are parsed. A known `error.code` wins over the HTTP status
 * (a 400 whose code says `unauthorized` is an auth failure). Anything else (an HTML page from a
 * proxy, which may echo request headers) becomes a short excerpt: tags dropped, redacted.
 */
import { REDACTED, redactSecrets } from '../log.ts';

export type Outcome = 'ok' | 'auth' | 'rejected' | 'rate-limited' | 'retryable';

export interface ErrorEnvelope {
  code?: string;
  message?: string;
}

const CODE_OUTCOMES: Record<string, Outcome> = {
  unauthorized: 'auth',
  unauthenticated: 'auth',
  invalid_api_key: 'auth',
  forbidden: 'rejected',
  not_found: 'rejected',
  bad_request: 'rejected',
  invalid_request: 'rejected',
  validation_error: 'rejected',
  unprocessable_entity: 'rejected',
  rate_limited: 'rate-limited',
  rate_limit_exceeded: 'rate-limited',
  too_many_requests: 'rate-limited',
  internal_error: 'retryable',
  internal_server_error: 'retryable',
  server_error: 'retryable',
  service_unavailable: 'retryable',
  bad_gateway: 'retryable',
  timeout: 'retryable',
};

const MAX_MESSAGE = 200;

/** Reads either envelope from a response body; never throws. */
export function parseErrorEnvelope(text: string): ErrorEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const excerpt = bodyExcerpt(text);
    return excerpt ? { message: excerpt } : {};
  }
  if (!isObject(body)) return {};
  const error = body.error;
  if (typeof error === 'string') return { message: clip(error) };
  if (isObject(error)) {
    return {
      code: typeof error.code === 'string' ? error.code : undefined,
      message: typeof error.message === 'string' ? clip(error.message) : undefined,
    };
  }
  return typeof body.message === 'string' ? { message: clip(body.message) } : {};
}

export function classify(status: number, code: string | undefined): Outcome {
  const byCode = code ? CODE_OUTCOMES[code.toLowerCase()] : undefined;
  if (byCode) return byCode;
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status >= 500 || status === 408) return 'retryable';
  return 'rejected';
}

/**
 * A non-JSON body as one short line: scripts, styles, tags and entities dropped, redacted, then
 * whitespace collapsed and cut to MAX_MESSAGE (redacted again at the cut). Tags become spaces for
 * readability — unless the text reveals more secrets with its tags removed (a key split by
 * markup), in which case that joined text is the one redacted, so no fragment survives.
 */
export function bodyExcerpt(text: string): string {
  const noScripts = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ');
  const spaced = redactSecrets(noScripts.replace(/<[^>]*>/g, ' '));
  const joined = redactSecrets(noScripts.replace(/<[^>]*>/g, ''));
  const found = (t: string) => t.split(REDACTED).length;
  return clip(
    (found(joined) > found(spaced) ? joined : spaced)
      .replace(/&[#\w]+;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** Redacted before it is cut, so a secret straddling the cut never leaves a fragment behind. */
function clip(text: string): string {
  const safe = redactSecrets(text);
  return safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE)}…` : safe;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
