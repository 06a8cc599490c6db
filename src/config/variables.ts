/**
 * Every setting puffle-sync reads, one declaration each: its environment variable, its flag (every
 * setting has one but the secrets other than the key, which are read from the environment or a
 * file only, so they never show in `ps`) and the commands that take that flag, its bounds (a Kind), its default and one line of help.
 * `loadConfig` parses them all the same way; `--help` and docs/configuration.md are checked
 * against this table. Adding a setting = adding one entry here (then the doc row).
 */
import { DEFAULT_STREAMS, type StreamName } from '../extract/streams.ts';
import { LOG_LEVELS } from '../log.ts';
import { type FreshnessTargets, freshnessTargets } from './freshness.ts';
import {
  choice,
  cron,
  host,
  InvalidValue,
  integer,
  type Kind,
  list,
  path,
  pathId,
  phrase,
  text,
  toggle,
  url,
} from './kinds.ts';
import { streamList } from './stream-list.ts';

/** The CLI commands (src/cli/commands), for `commands` below. */
export const COMMANDS = [
  'sync',
  'demo',
  'migrate',
  'simulate',
  'worker',
  'schedule',
  'backfill',
  'status',
  'dashboard',
  'webhooks',
  'sql',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface Variable<T> {
  env: string;
  /** Commander flag spec, e.g. `--base-url <url>`; none = environment only. */
  flag?: string;
  /** Commands that take the flag. Secrets are read only by these commands. */
  commands: readonly CommandName[];
  kind: Kind<T>;
  /** The value when unset; none = undefined. */
  default?: T;
  /** How the default reads in docs, when `String(default)` is not it. */
  defaultText?: string;
  help: string;
  /**
   * Never echoed and redacted from every output once read. Also read from the file named by
   * `${env}_FILE` (Docker and Kubernetes secrets), or by `fileFlag`.
   */
  secret?: { fileFlag?: string };
}

export const DEFAULT_BASE_URL = 'https://app.puffle.ai';

/** Commands that call Puffle: they take the key and the request settings. */
const CALLS_PUFFLE = ['sync', 'worker', 'webhooks'] as const;
/** Commands that open the warehouse in Postgres or the embedded database. */
const OPENS_POSTGRES = ['sync', 'worker', 'backfill', 'status', 'migrate', 'dashboard', 'webhooks'] as const;
/** Commands that open the warehouse: `sql` serves the embedded one only. */
const OPENS_WAREHOUSE = [...OPENS_POSTGRES, 'sql'] as const;
/** Commands that write rows (the others only validate the personal-data settings). */
const WRITES_ROWS = ['sync', 'worker', 'webhooks'] as const;
/** Commands that talk to the queue backend (Redis, or the queue's tables in Postgres). */
const USES_QUEUE = ['sync', 'worker', 'schedule', 'backfill', 'status', 'dashboard', 'webhooks'] as const;

/** Where the queue, the schedule, the shared request budget and the run flags live. */
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendName = (typeof QUEUE_BACKENDS)[number];

/** A Svix endpoint signing secret: `whsec_` and base64. */
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/;

/** `simulate --webhook-secret` and each value of PUFFLE_WEBHOOK_SECRET. */
export const webhookSecret = text({
  pattern: WEBHOOK_SECRET,
  expect: 'the Svix signing secret (whsec_ followed by base64)',
});

/** `stream.field`; which streams and fields exist is checked against the catalog when the database opens. */
const streamFields = list(
  text({
    pattern: /^[a-z_][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/,
    expect: 'a stream.field entry such as campaign_leads.email',
  }),
  { max: 1000 },
);

export const VARIABLES = {
  apiKey: {
    env: 'PUFFLE_API_KEY',
    flag: '--key <key>',
    commands: CALLS_PUFFLE,
    kind: text({
      pattern: /^pk_live_[A-Za-z0-9_-]{8,200}$/,
      expect: 'a Puffle API key: pk_live_ followed by the key (8 to 200 letters, digits, _ or -)',
    }),
    help: 'Puffle API key (pk_live_…); prefer the variable or a key file, flags show in `ps`',
    secret: { fileFlag: '--key-file <path>' },
  },
  baseUrl: {
    env: 'PUFFLE_API_BASE_URL',
    flag: '--base-url <url>',
    commands: CALLS_PUFFLE,
    kind: baseUrl(),
    default: DEFAULT_BASE_URL,
    help: 'Puffle API origin; http:// only for loopback hosts (the simulator)',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: '--database-url <url>',
    commands: OPENS_POSTGRES,
    kind: url(['postgres:', 'postgresql:']),
    defaultText: 'embedded PGlite in `PUFFLE_SYNC_DATA_DIR`',
    help: 'Postgres to load into (default: the embedded PGlite database)',
  },
  redisUrl: {
    env: 'REDIS_URL',
    flag: '--redis-url <url>',
    commands: USES_QUEUE,
    kind: url(['redis:', 'rediss:']),
    defaultText: 'none: inline, in-process budget',
    help: 'Redis for BullMQ, the schedule and the request budget shared by every worker',
  },
  queueBackend: {
    env: 'PUFFLE_QUEUE_BACKEND',
    flag: '--queue-backend <backend>',
    commands: USES_QUEUE,
    kind: choice(QUEUE_BACKENDS),
    defaultText: '`redis` when REDIS_URL is set, else none (no queue: inline syncs only)',
    help: 'where the queue, schedule, shared request budget and run flags live: redis (REDIS_URL) or postgres (the warehouse at DATABASE_URL)',
  },
  rateLimitPerMin: {
    env: 'PUFFLE_RATE_LIMIT_PER_MIN',
    flag: '--rate-limit-per-min <n>',
    commands: CALLS_PUFFLE,
    kind: integer({ min: 1, max: 1_000_000_000 }),
    default: 100,
    help: 'requests per minute for the key, for the whole fleet, paced evenly (a huge value: no pacing, for the simulator)',
  },
  schedule: {
    env: 'PUFFLE_SYNC_SCHEDULE',
    flag: '--cron <pattern>',
    commands: ['schedule'],
    kind: cron(),
    default: '0 2 * * *',
    help: 'cron pattern of the recurring sync (5 fields, or 6 with seconds)',
  },
  streams: {
    env: 'PUFFLE_SYNC_STREAMS',
    flag: '--streams <list>',
    commands: ['sync', 'schedule', 'status', 'dashboard'],
    kind: streamList,
    default: [...DEFAULT_STREAMS] as StreamName[],
    defaultText: 'every stream but the opt-in ones',
    help: 'streams each run syncs; opt-in streams (one request per row, e.g. network_connection_details) only when named here',
  },
  enrichmentRunIds: {
    env: 'PUFFLE_ENRICHMENT_RUN_IDS',
    flag: '--enrichment-run-ids <ids>',
    commands: CALLS_PUFFLE,
    kind: list(pathId(), { max: 1000 }),
    default: [] as string[],
    defaultText: 'none',
    help: 'comma-separated enrichment run ids to follow (Puffle cannot list runs)',
  },
  schema: {
    env: 'PUFFLE_SYNC_SCHEMA',
    flag: '--schema <name>',
    commands: OPENS_WAREHOUSE,
    kind: text({
      pattern: /^[a-z_][a-z0-9_]{0,62}$/,
      expect: 'a lower-case SQL identifier (a-z, 0-9, _; at most 63 characters)',
      reserved: (name) =>
        name === 'public' || name === 'information_schema' || name.startsWith('pg_')
          ? 'must name a schema of its own: public, information_schema and pg_… belong to Postgres'
          : undefined,
    }),
    default: 'puffle',
    help: 'Postgres schema holding every table; the clean views go in `<schema>_analytics`',
  },
  dataDir: {
    env: 'PUFFLE_SYNC_DATA_DIR',
    flag: '--data-dir <dir>',
    commands: ['sync', 'worker', 'backfill', 'status', 'migrate', 'dashboard', 'webhooks', 'sql'],
    kind: path(),
    default: './.puffle-sync',
    help: 'embedded PGlite directory, used when DATABASE_URL is unset (kept private: mode 0700)',
  },
  queuePrefix: {
    env: 'PUFFLE_QUEUE_PREFIX',
    flag: '--queue-prefix <prefix>',
    commands: USES_QUEUE,
    kind: text({
      pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
      expect: '1 to 64 letters, digits, _ . : or - (no spaces or braces)',
    }),
    default: 'puffle-sync',
    help: 'prefix of every Redis key (queue, schedule, request budget, run flags); on Postgres, names the queue schemas',
  },
  requestTimeoutMs: {
    env: 'PUFFLE_REQUEST_TIMEOUT_MS',
    flag: '--request-timeout-ms <ms>',
    commands: CALLS_PUFFLE,
    kind: integer({ min: 100, max: 600_000, unit: 'milliseconds' }),
    default: 30_000,
    help: 'per-request timeout, headers and body',
  },
  maxRateLimitWaitMs: {
    env: 'PUFFLE_MAX_RATE_LIMIT_WAIT_MS',
    flag: '--max-rate-limit-wait-ms <ms>',
    commands: CALLS_PUFFLE,
    kind: integer({ min: 1_000, max: 86_400_000, unit: 'milliseconds' }),
    default: 900_000,
    help: 'a longer Retry-After ends the stream as rate limited (resumable) instead of waiting',
  },
  signalsLookbackMs: {
    env: 'PUFFLE_SIGNALS_LOOKBACK_MS',
    flag: '--signals-lookback-ms <ms>',
    commands: CALLS_PUFFLE,
    kind: integer({ min: 0, max: 2_592_000_000, unit: 'milliseconds' }),
    default: 3_600_000,
    help: 'overlap re-read on each incremental signals sync (late arrivals); a webhook-triggered walk starts this long before the event',
  },
  maxResponseBytes: {
    env: 'PUFFLE_MAX_RESPONSE_BYTES',
    flag: '--max-response-bytes <n>',
    commands: CALLS_PUFFLE,
    kind: integer({ min: 1_048_576, max: 1_073_741_824, unit: 'bytes' }),
    default: 67_108_864,
    defaultText: '67108864 (64 MiB)',
    help: 'largest response body accepted from Puffle; a larger one fails the stream, clearly',
  },
  dashboardToken: {
    env: 'PUFFLE_DASHBOARD_TOKEN',
    commands: ['dashboard'],
    kind: text({
      pattern: /^[\x21-\x7e]{16,1024}$/,
      expect: '16 to 1024 printable characters without spaces (e.g. `openssl rand -hex 16`)',
    }),
    defaultText: 'none: Bull Board read-only, binds 127.0.0.1',
    help: 'required on every dashboard route but /healthz (Bearer, or basic-auth password)',
    secret: {},
  },
  dashboardAllowedHosts: {
    env: 'PUFFLE_DASHBOARD_ALLOWED_HOSTS',
    flag: '--allowed-hosts <names>',
    commands: ['dashboard'],
    kind: list(host(), { max: 64 }),
    default: [] as string[],
    defaultText: 'none: loopback names, IP addresses and the --host name',
    help: 'more host names the dashboard answers to (the Host header); others get 421',
  },
  freshnessTargets: {
    env: 'PUFFLE_FRESHNESS_TARGETS',
    flag: '--freshness <targets>',
    commands: ['status', 'dashboard'],
    kind: freshnessTargets(),
    default: {} as FreshnessTargets,
    defaultText: '26h for every stream (nightly schedule plus the run)',
    help: 'how old each stream may get before it is stale: stream=duration entries, * for the others (leads=2h,*=12h)',
  },
  webhookSecrets: {
    env: 'PUFFLE_WEBHOOK_SECRET',
    commands: ['webhooks'],
    kind: list(webhookSecret, {
      max: 2,
      separator: /[,\n]/,
      separated: 'comma- or newline-separated',
      tooMany: 'holds at most two secrets (the new one and, while rotating, the old one)',
    }),
    default: [] as string[],
    defaultText: 'none: `webhooks` refuses to start',
    help: "the webhook endpoint's Svix signing secret (whsec_…); while rotating, the new and the old one",
    secret: {},
  },
  excludeColumns: {
    env: 'PUFFLE_EXCLUDE_COLUMNS',
    flag: '--exclude-columns <list>',
    commands: WRITES_ROWS,
    kind: streamFields,
    default: [] as string[],
    defaultText: 'none',
    help: 'stream.field entries never stored (typed column and raw)',
  },
  hashColumns: {
    env: 'PUFFLE_HASH_COLUMNS',
    flag: '--hash-columns <list>',
    commands: WRITES_ROWS,
    kind: streamFields,
    default: [] as string[],
    defaultText: 'none',
    help: 'stream.field entries stored as a keyed SHA-256 (needs PUFFLE_HASH_KEY)',
  },
  hashKey: {
    env: 'PUFFLE_HASH_KEY',
    commands: OPENS_WAREHOUSE,
    kind: phrase({ min: 32, max: 1024, hint: 'e.g. `openssl rand -hex 32`' }),
    defaultText: 'none (required with PUFFLE_HASH_COLUMNS)',
    help: 'HMAC key of PUFFLE_HASH_COLUMNS; keep it outside the warehouse (environment or file only)',
    secret: {},
  },
  acceptMassDeletes: {
    env: 'PUFFLE_ACCEPT_MASS_DELETES',
    flag: '--accept-mass-deletes',
    commands: ['sync'],
    kind: toggle(),
    default: false,
    help: 'apply deletions the mass-delete guard would hold (and those it holds) in this run; queued runs carry it to the workers',
  },
  massDeletePercent: {
    env: 'PUFFLE_MASS_DELETE_PERCENT',
    flag: '--mass-delete-percent <n>',
    commands: WRITES_ROWS,
    kind: integer({ min: 1, max: 100, unit: 'percent' }),
    default: 15,
    help: "a complete walk that would soft-delete more than this share of a partition's live rows holds the deletions until the next walk confirms them (100: never by share)",
  },
  massDeleteMinRows: {
    env: 'PUFFLE_MASS_DELETE_MIN_ROWS',
    flag: '--mass-delete-min-rows <n>',
    commands: WRITES_ROWS,
    kind: integer({ min: 1, max: 1_000_000_000 }),
    default: 10,
    help: 'fewer deletions than this are never held by share (a walk missing every live row of a partition is held from 3)',
  },
  commitGroupPages: {
    env: 'PUFFLE_COMMIT_GROUP_PAGES',
    flag: '--commit-group-pages <n>',
    commands: WRITES_ROWS,
    kind: integer({ min: 1, max: 1_000 }),
    default: 32,
    help: 'most pages of a walk committed in one transaction (adaptive group commit: pages fetched while the previous group committed); also the most a crash makes a walk fetch again',
  },
  commitGroupRows: {
    env: 'PUFFLE_COMMIT_GROUP_ROWS',
    flag: '--commit-group-rows <n>',
    commands: WRITES_ROWS,
    kind: integer({ min: 1, max: 1_000_000 }),
    default: 2_000,
    help: 'a commit group takes no further page past this many records, and a walk fetches no further page ahead past this many uncommitted',
  },
  commitGroupFetchMs: {
    env: 'PUFFLE_COMMIT_GROUP_FETCH_MS',
    flag: '--commit-group-fetch-ms <ms>',
    commands: WRITES_ROWS,
    kind: integer({ min: 1, max: 600_000, unit: 'milliseconds' }),
    default: 1_000,
    help: 'a commit group takes no further page past this much fetch time, and a walk fetches no further page ahead past this much uncommitted',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: '--log-level <level>',
    commands: ['sync', 'worker', 'backfill', 'status', 'migrate', 'dashboard', 'webhooks', 'sql'],
    kind: choice(LOG_LEVELS),
    defaultText: '`info`; `warn` on a terminal and for `status` and `migrate`',
    help: 'pino level of the logs on stderr (`demo` reads the variable only)',
  },
} as const satisfies Record<string, Variable<unknown>>;

export type VariableName = keyof typeof VARIABLES;

type ValueOf<V> = V extends { kind: Kind<infer T> }
  ? V extends { default: unknown }
    ? T
    : T | undefined
  : never;

/** The parsed configuration: one field per declaration above. */
export type Config = { -readonly [K in VariableName]: ValueOf<(typeof VARIABLES)[K]> };

/** `PUFFLE_API_BASE_URL`: an http(s) origin, plain http:// only for loopback hosts. */
function baseUrl(): Kind<string> {
  return {
    expect: 'an https:// origin such as https://app.puffle.ai (http:// only for loopback hosts)',
    parse: (raw) => apiOrigin(raw),
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The origin requests go to; throws InvalidValue (no value echoed but the host). */
export function apiOrigin(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InvalidValue('is not a URL (expected https://host, e.g. https://app.puffle.ai)');
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname))
    throw new InvalidValue(
      `must use https:// (plain http:// is only allowed for loopback hosts, got ${parsed.host})`,
    );
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidValue(`must be an https:// URL, got ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new InvalidValue('must not carry a user name or password');
  if (parsed.pathname !== '/' || parsed.search || parsed.hash)
    throw new InvalidValue(`must be an origin without a path or query (e.g. https://${parsed.host})`);
  return parsed.origin;
}
