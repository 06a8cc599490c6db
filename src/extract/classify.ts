/**
 * Pure response classification. Puffle documents two error envelopes — `{"error":{"code","message"}}`
 * and `{"error":"text"}` — and both are parsed. A known `error.code` wins over the HTTP status
 * (a 400 whose code says `unauthorized` is an auth failure). Anything else (an HTML page from a
 * proxy, which may echo request headers) becomes a short excerpt: tags dropped, redacted.
 */
import { redactSecrets } from '../log.ts';

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
/** Only this much of a (redacted) body is looked at for an excerpt. */
const EXCERPT_WINDOW = MAX_MESSAGE * 8;

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
 * A non-JSON body as one short line: redacted whole (a window cut first could halve a key and
 * leave a fragment no pattern knows), then a bounded window of it with tags and entities dropped
 * and whitespace collapsed, cut to MAX_MESSAGE — and redacted again, since dropping tags can join
 * the pieces of a key the first pass saw apart.
 */
export function bodyExcerpt(text: string): string {
  const plain = redactSecrets(text)
    .slice(0, EXCERPT_WINDOW)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(plain);
}

/** Redacted before it is cut, so a secret straddling the cut never leaves a fragment behind. */
function clip(text: string): string {
  const safe = redactSecrets(text);
  return safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE)}…` : safe;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
