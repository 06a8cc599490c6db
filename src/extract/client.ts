/**
 * The Puffle HTTP client: one `get()` = budget slot → fetch (keep-alive, Bearer, timeout) →
 * classification → retries. Order of defences for one call:
 *
 * 0. Endpoints that change data (docs/puffle-api.md, "Endpoints never called") are refused before anything is sent.
 * 1. `budget.take()` — proactive pacing shared by every worker of the key (see budget/).
 * 2. 429 → wait `Retry-After` (or exponential backoff without it) by blocking the whole budget,
 *    then ask again. These waits never consume the retry attempts; a single wait, or their sum
 *    for one call, above `maxRateLimitWaitMs` throws `RateLimitedError` instead of sleeping —
 *    after blocking the budget, so every worker of the key fails fast the same way.
 * 3. 5xx / reset / timeout / malformed or truncated JSON on a 200 → p-retry, `retries` times,
 *    sleeping `backoffDelay()` (1 s × 2^(n−1), full jitter, capped at 60 s) in between.
 * 4. 401 → `AuthRejectedError`; 400/403/404/422 (and 3xx: redirects are never followed, so the
 *    key cannot leak to another host) → `RequestRejectedError`. Neither is retried.
 *
 * 5. A body longer than `maxResponseBytes` stops being read → `ResponseTooLargeError` (not retried).
 *
 * The API key is only ever written into the Authorization header, and registered for redaction
 * (exact value and the part after `pk_live_`): messages name the path and query (which never
 * carry it), error bodies are cut to a short excerpt (classify.ts), and all pass through
 * `redactSecrets`.
 */
import pRetry from 'p-retry';
import { validateBaseUrl } from '../config/config.ts';
import { type Logger, redactSecrets, registerSecret, silentLogger } from '../log.ts';
import { startSpan } from '../tracing.ts';
import { childController } from './abort.ts';
import type { RequestBudget } from './budget/request-budget.ts';
import { classify, parseErrorEnvelope } from './classify.ts';
import { countStatus, StatsBook, type StreamStats } from './client-stats.ts';
import { AuthRejectedError } from './errors/auth-rejected-error.ts';
import { RateLimitedError } from './errors/rate-limited-error.ts';
import { RequestRejectedError } from './errors/request-rejected-error.ts';
import { ResponseTooLargeError } from './errors/response-too-large-error.ts';
import { RetryableError } from './errors/retryable-error.ts';
import { assertReadOnlyEndpoint } from './never-call.ts';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  retryDelayFromHeaders,
} from './retry-timing.ts';
import { sleep } from './sleep.ts';
import { USER_AGENT } from './version.ts';

export interface PuffleClientOptions {
  /** `PUFFLE_API_BASE_URL`; plain http:// is refused unless the host is loopback. */
  baseUrl: string;
  apiKey: string;
  /** Per request, headers and body included. @default 30000 */
  timeoutMs?: number;
  budget: RequestBudget;
  /** Longest 429 wait we sleep through; longer → RateLimitedError. @default 900000 (15 min) */
  maxRateLimitWaitMs?: number;
  /** Longest response body read (decompressed); longer → ResponseTooLargeError. @default 67108864 (64 MiB) */
  maxResponseBytes?: number;
  /** Retries of transient failures after the first attempt. @default 5 */
  retries?: number;
  /** Backoff shape for retries and for 429s without Retry-After. @default DEFAULT_RETRY_POLICY */
  retryPolicy?: Partial<RetryPolicy>;
  logger?: Logger;
  /** @default puffle-sync/<package.json version> */
  userAgent?: string;
  /** Injected for deterministic tests. @default Math.random */
  random?: () => number;
}

export type Query = Record<string, string | number | undefined>;

export interface GetOptions {
  /** Stream name the request is counted under in `stats()`. */
  stream: string;
  signal?: AbortSignal;
}

export interface PuffleClient {
  /** Parsed JSON body of a successful GET. */
  get(path: string, query: Query | undefined, opts: GetOptions): Promise<unknown>;
  /** Per-stream counters since the client was created. */
  stats(): Record<string, StreamStats>;
  /** Aborts in-flight requests; later calls reject. Idempotent. The budget is the caller's to close. */
  close(): Promise<void>;
}

/** What the span of one get() reports: the last response's status, retries and 429s. */
interface CallTrace {
  status?: number;
  retries: number;
  rateLimited: number;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export function createPuffleClient(opts: PuffleClientOptions): PuffleClient {
  const origin = validateBaseUrl(opts.baseUrl);
  if (!opts.apiKey) throw new TypeError('apiKey is required');
  registerSecret(opts.apiKey);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxResponseBytes ?? 67_108_864;
  const maxWait = opts.maxRateLimitWaitMs ?? 900_000;
  const retries = opts.retries ?? 5;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retryPolicy };
  const random = opts.random ?? Math.random;
  const log = opts.logger ?? silentLogger;
  const headers = {
    authorization: `Bearer ${opts.apiKey}`,
    accept: 'application/json',
    'user-agent': opts.userAgent ?? USER_AGENT,
  };
  const book = new StatsBook();
  const inFlight = new Set<AbortController>();
  let closed = false;

  async function send(
    url: string,
    label: string,
    stats: StreamStats,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    const { controller, dispose } = childController(signal);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('request timeout'));
    }, timeoutMs);
    try {
      const res = await fetch(url, { headers, signal: controller.signal, redirect: 'manual' });
      const text = await readBody(res, maxBytes, () => {
        countStatus(stats, res.status);
        return new ResponseTooLargeError(label, maxBytes);
      });
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      if (err instanceof ResponseTooLargeError) throw err;
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        countStatus(stats, 'timeout');
        throw new RetryableError(`${label}: no complete response within ${timeoutMs} ms`, { cause: err });
      }
      countStatus(stats, 'network');
      throw new RetryableError(`${label}: connection failed (${describe(err)})`, { cause: err });
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }

  /** One attempt in p-retry's sense: loops over 429s, which do not count as attempts. */
  async function attempt(
    url: string,
    label: string,
    stats: StreamStats,
    signal: AbortSignal,
    seen: CallTrace,
  ): Promise<unknown> {
    let rateLimitedWaits = 0;
    let rateLimitedMs = 0;
    for (;;) {
      const took = await opts.budget.take(signal, { maxWaitMs: maxWait });
      stats.budgetWaitMs += took.waitedMs - took.blockedMs;
      stats.rateLimitWaitMs += took.blockedMs;
      stats.requests++;
      const res = await send(url, label, stats, signal);
      seen.status = res.status;
      countStatus(stats, res.status);
      const envelope = res.status >= 200 && res.status < 300 ? {} : parseErrorEnvelope(res.text);
      const detail = `${res.status}${envelope.code ? ` ${envelope.code}` : ''}${envelope.message ? `: ${envelope.message}` : ''}`;
      switch (classify(res.status, envelope.code)) {
        case 'ok':
          try {
            return JSON.parse(res.text);
          } catch (err) {
            throw new RetryableError(`${label}: malformed JSON in a ${res.status} response`, {
              status: res.status,
              cause: err,
            });
          }
        case 'auth':
          throw new AuthRejectedError(`${label}: Puffle rejected the API key (${detail})`, {
            status: res.status,
            apiCode: envelope.code,
          });
        case 'rejected':
          throw new RequestRejectedError(`${label}: request rejected (${detail})`, {
            status: res.status,
            apiCode: envelope.code,
          });
        case 'retryable':
          throw new RetryableError(`${label}: server error (${detail})`, { status: res.status });
        case 'rate-limited': {
          stats.rateLimited429++;
          seen.rateLimited++;
          rateLimitedWaits++;
          const delay =
            retryDelayFromHeaders(res.headers, Date.now()) ?? backoffDelay(rateLimitedWaits, policy, random);
          rateLimitedMs += delay;
          if (delay > maxWait || rateLimitedMs > maxWait) {
            // Every other worker of the key stops too (their take() fails fast on the block).
            await opts.budget.blockUntil(Date.now() + delay);
            throw new RateLimitedError(
              `${label}: rate limited by Puffle; it asks to wait ${Math.ceil(delay / 1000)} s (${Math.ceil(rateLimitedMs / 1000)} s in total for this request), more than the ${Math.round(maxWait / 1000)} s ceiling (PUFFLE_MAX_RATE_LIMIT_WAIT_MS)`,
              { retryAt: Date.now() + delay },
            );
          }
          log.info(
            { path: label, delayMs: delay },
            'rate limited by Puffle (429); pausing every worker of this key',
          );
          await opts.budget.blockUntil(Date.now() + delay);
        }
      }
    }
  }

  return {
    async get(path, query, { stream, signal }) {
      if (closed) throw new Error('PuffleClient is closed');
      const url = buildUrl(origin, path, query);
      const label = redactSecrets(`GET ${url.slice(origin.length)}`);
      const stats = book.for(stream);
      const { controller: call, dispose } = childController(signal);
      const combined = call.signal;
      inFlight.add(call);
      // One span per get(): the path without its query (cursors, filters), never a header or body.
      const seen: CallTrace = { rateLimited: 0, retries: 0 };
      const span = startSpan('GET', {
        'http.request.method': 'GET',
        'url.path': redactSecrets(path.split('?')[0]!),
        'puffle.stream': stream,
      });
      let failure: unknown;
      try {
        return await pRetry(() => attempt(url, label, stats, combined, seen), {
          retries,
          minTimeout: 0,
          maxTimeout: 0,
          factor: 1,
          signal: combined,
          shouldRetry: (err) => err instanceof RetryableError,
          onFailedAttempt: async (err) => {
            // p-retry also calls this for errors it will not retry, and after the last attempt.
            if (!(err instanceof RetryableError) || err.retriesLeft <= 0) return;
            stats.retries++;
            seen.retries++;
            const delay = backoffDelay(err.attemptNumber, policy, random);
            log.warn(
              { stream, path: label, attempt: err.attemptNumber, delayMs: delay, err },
              'transient failure; retrying',
            );
            await sleep(delay, combined);
          },
        });
      } catch (err) {
        failure = err;
        if (err instanceof RetryableError) {
          throw new RetryableError(`${err.message} (gave up after ${retries + 1} attempts)`, {
            status: err.status,
            attempts: retries + 1,
            cause: err,
          });
        }
        throw err;
      } finally {
        span.end(
          {
            ...(seen.status === undefined ? {} : { 'http.response.status_code': seen.status }),
            'puffle.request.retries': seen.retries,
            'puffle.request.rate_limited': seen.rateLimited,
          },
          failure,
        );
        inFlight.delete(call);
        dispose();
      }
    },
    stats: () => book.snapshot(),
    async close() {
      if (closed) return;
      closed = true;
      for (const call of inFlight) call.abort(new Error('PuffleClient closed'));
    },
  };
}

/** The body as text, reading no more than `maxBytes` (Content-Length is checked first). */
async function readBody(res: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (Number(res.headers.get('content-length')) > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function buildUrl(origin: string, path: string, query: Query | undefined): string {
  const url = new URL(path, origin);
  if (query)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  assertReadOnlyEndpoint(url.pathname, url.searchParams);
  return url.toString();
}

function describe(err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const text = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return redactSecrets(String(text));
}
