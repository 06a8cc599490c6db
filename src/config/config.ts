/**
 * Configuration is parsed and validated once, here, from the environment merged with CLI flags.
 * Every problem becomes a one-line ConfigError naming the variable; the API key is never echoed.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

export interface Config {
  /** `pk_live_…`; undefined only for commands that do not call Puffle (demo starts its own). */
  apiKey: string | undefined;
  /** @default https://app.puffle.ai */
  baseUrl: string;
  /** Postgres URL; undefined = embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Redis URL; undefined = inline single-process mode with an in-process request budget. */
  redisUrl: string | undefined;
  /** @default 100 */
  rateLimitPerMin: number;
  /** @default '0 2 * * *' */
  schedule: string;
  enrichmentRunIds: string[];
  /** @default 'puffle' */
  schema: string;
  /** @default './.puffle-sync' */
  dataDir: string;
  /** Per-request timeout. @default 30000 */
  requestTimeoutMs: number;
  /** A single Retry-After wait longer than this ends the stream as rate limited. @default 900000 */
  maxRateLimitWaitMs: number;
  /** Lookback subtracted from the newest stored signal `created_at`. @default 3600000 */
  signalsLookbackMs: number;
  /** BullMQ key prefix (`PUFFLE_QUEUE_PREFIX`); tests isolate themselves with a unique one. @default 'puffle-sync' */
  queuePrefix: string;
  /** Svix signing secrets (`whsec_…`) for `webhooks`: the current one, plus the old one during a rotation. */
  webhookSecrets: string[];
  /** `stream.field` left out of the warehouse, typed columns and `raw` (`PUFFLE_EXCLUDE_COLUMNS`). */
  excludeColumns: string[];
  /** `stream.field` stored as a keyed SHA-256 (`PUFFLE_HASH_COLUMNS`). */
  hashColumns: string[];
  /** HMAC key of the hashed columns (`PUFFLE_HASH_KEY`, environment only); never logged or stored. */
  hashKey: string | undefined;
}

export const DEFAULT_BASE_URL = 'https://app.puffle.ai';

type Env = Record<string, string | undefined>;

const positiveInt = (name: string) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be greater than 0`);

export function loadConfig(env: Env = process.env, opts: { requireKey?: boolean } = {}): Config {
  const raw = {
    apiKey: blankToUndefined(env.PUFFLE_API_KEY),
    baseUrl: blankToUndefined(env.PUFFLE_API_BASE_URL) ?? DEFAULT_BASE_URL,
    databaseUrl: blankToUndefined(env.DATABASE_URL),
    redisUrl: blankToUndefined(env.REDIS_URL),
    rateLimitPerMin: env.PUFFLE_RATE_LIMIT_PER_MIN ?? '100',
    schedule: blankToUndefined(env.PUFFLE_SYNC_SCHEDULE) ?? '0 2 * * *',
    enrichmentRunIds: (env.PUFFLE_ENRICHMENT_RUN_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    schema: blankToUndefined(env.PUFFLE_SYNC_SCHEMA) ?? 'puffle',
    dataDir: blankToUndefined(env.PUFFLE_SYNC_DATA_DIR) ?? './.puffle-sync',
    requestTimeoutMs: env.PUFFLE_REQUEST_TIMEOUT_MS ?? '30000',
    maxRateLimitWaitMs: env.PUFFLE_MAX_RATE_LIMIT_WAIT_MS ?? '900000',
    signalsLookbackMs: env.PUFFLE_SIGNALS_LOOKBACK_MS ?? '3600000',
    queuePrefix: blankToUndefined(env.PUFFLE_QUEUE_PREFIX) ?? 'puffle-sync',
    webhookSecrets: webhookSecrets(env.PUFFLE_WEBHOOK_SECRET, env.PUFFLE_WEBHOOK_SECRET_FILE),
    excludeColumns: commaList(env.PUFFLE_EXCLUDE_COLUMNS),
    hashColumns: commaList(env.PUFFLE_HASH_COLUMNS),
    hashKey: blankToUndefined(env.PUFFLE_HASH_KEY),
  };
  const schema = z.object({
    apiKey: z.string().optional(),
    baseUrl: z.string(),
    databaseUrl: z.string().optional(),
    redisUrl: z.string().optional(),
    rateLimitPerMin: positiveInt('PUFFLE_RATE_LIMIT_PER_MIN'),
    schedule: z.string(),
    enrichmentRunIds: z.array(z.string()),
    schema: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        'PUFFLE_SYNC_SCHEMA must be a lower-case SQL identifier (a-z, 0-9, _)',
      ),
    dataDir: z.string(),
    requestTimeoutMs: positiveInt('PUFFLE_REQUEST_TIMEOUT_MS'),
    maxRateLimitWaitMs: positiveInt('PUFFLE_MAX_RATE_LIMIT_WAIT_MS'),
    signalsLookbackMs: z.coerce.number().int().min(0, 'PUFFLE_SIGNALS_LOOKBACK_MS must be 0 or more'),
    queuePrefix: z
      .string()
      .regex(/^[^\s{}]+$/, 'PUFFLE_QUEUE_PREFIX must be non-empty, without spaces or braces'),
    webhookSecrets: z
      .array(
        // No echo of the value in the message: a secret is a secret even when mistyped.
        z
          .string()
          .regex(
            WEBHOOK_SECRET,
            'PUFFLE_WEBHOOK_SECRET must be the Svix signing secret (whsec_ followed by base64)',
          ),
      )
      .max(
        2,
        'PUFFLE_WEBHOOK_SECRET holds at most two secrets (the new one and, while rotating, the old one)',
      ),
    excludeColumns: z.array(
      z.string().regex(STREAM_FIELD, 'PUFFLE_EXCLUDE_COLUMNS must list stream.field entries'),
    ),
    hashColumns: z.array(
      z.string().regex(STREAM_FIELD, 'PUFFLE_HASH_COLUMNS must list stream.field entries'),
    ),
    hashKey: z.string().optional(),
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]?.message ?? 'invalid configuration');
  const config: Config = {
    ...parsed.data,
    apiKey: parsed.data.apiKey,
    databaseUrl: parsed.data.databaseUrl,
    redisUrl: parsed.data.redisUrl,
    hashKey: parsed.data.hashKey,
  };

  if (config.apiKey !== undefined) validateApiKey(config.apiKey);
  else if (opts.requireKey)
    throw new ConfigError('PUFFLE_API_KEY is not set: export your pk_live_… key (or pass --key)');
  config.baseUrl = validateBaseUrl(config.baseUrl);
  if (config.databaseUrl) validateUrl('DATABASE_URL', config.databaseUrl, ['postgres:', 'postgresql:']);
  if (config.redisUrl) validateUrl('REDIS_URL', config.redisUrl, ['redis:', 'rediss:']);
  return config;
}

export function validateApiKey(key: string): void {
  if (!/^pk_live_[A-Za-z0-9_-]{8,}$/.test(key)) {
    // Never include the value: a mistyped key is still a secret.
    throw new ConfigError(
      'PUFFLE_API_KEY is not a Puffle API key: it must start with pk_live_ followed by the key',
    );
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export function validateBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // No echo of the value: a key pasted into the wrong variable is still a secret.
    throw new ConfigError(
      'PUFFLE_API_BASE_URL is not a URL (expected https://host, e.g. https://app.puffle.ai)',
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `PUFFLE_API_BASE_URL must use https:// (plain http:// is only allowed for loopback hosts, got ${url.host})`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUFFLE_API_BASE_URL must be an https:// URL, got ${url.protocol}`);
  }
  return url.origin;
}

function validateUrl(name: string, value: string, protocols: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL (expected ${protocols[0]}//…)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}//, got ${url.protocol}//`);
  }
}

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/;

/** `PUFFLE_WEBHOOK_SECRET` or the file `PUFFLE_WEBHOOK_SECRET_FILE` names: one secret, or two separated by a comma or newline. */
function webhookSecrets(value: string | undefined, file: string | undefined): string[] {
  if (blankToUndefined(value) && blankToUndefined(file))
    throw new ConfigError('set PUFFLE_WEBHOOK_SECRET or PUFFLE_WEBHOOK_SECRET_FILE, not both');
  let text = value ?? '';
  if (blankToUndefined(file)) {
    try {
      text = readFileSync(file!.trim(), 'utf8');
    } catch (err) {
      throw new ConfigError(
        `PUFFLE_WEBHOOK_SECRET_FILE: cannot read ${file!.trim()} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `stream.field`; which streams and fields exist is checked against the catalog when the database opens. */
const STREAM_FIELD = /^[a-z_][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

function commaList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function blankToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
