/**
 * Every setting has bounds, and every bad value — from the environment or a flag — is one line
 * naming the variable or flag, exit code 2, without the value. Shown three ways: loadConfig over
 * a table of bad values for every variable (and the values right at each bound accepted), the
 * real CLI over the cases that used to slip through, and PUFFLE_API_KEY_FILE.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { VARIABLES } from '../../src/config/variables.ts';
import { type CliResult, runCli } from '../helpers/cli.ts';
import { testRedisUrl } from '../helpers/services.ts';

const KEY = 'pk_live_BOUNDSCANARY_0a1b2c3d4e';
const SECRET = KEY.slice('pk_live_'.length);
const base = { PUFFLE_API_KEY: KEY, PUFFLE_API_BASE_URL: 'http://127.0.0.1:9' };
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig({ ...base, ...env }, { requireKey: true });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

/** [variable named in the message, environment] */
const BAD_ENV: Array<[string, Record<string, string>]> = [
  ['PUFFLE_SIGNALS_LOOKBACK_MS', { PUFFLE_SIGNALS_LOOKBACK_MS: 'abc' }],
  ['PUFFLE_SIGNALS_LOOKBACK_MS', { PUFFLE_SIGNALS_LOOKBACK_MS: '-1' }],
  ['PUFFLE_SIGNALS_LOOKBACK_MS', { PUFFLE_SIGNALS_LOOKBACK_MS: '2592000001' }],
  ['PUFFLE_REQUEST_TIMEOUT_MS', { PUFFLE_REQUEST_TIMEOUT_MS: '99999999999' }],
  ['PUFFLE_REQUEST_TIMEOUT_MS', { PUFFLE_REQUEST_TIMEOUT_MS: '99' }],
  ['PUFFLE_REQUEST_TIMEOUT_MS', { PUFFLE_REQUEST_TIMEOUT_MS: '1e4' }],
  ['PUFFLE_REQUEST_TIMEOUT_MS', { PUFFLE_REQUEST_TIMEOUT_MS: '3000.5' }],
  ['PUFFLE_MAX_RATE_LIMIT_WAIT_MS', { PUFFLE_MAX_RATE_LIMIT_WAIT_MS: '86400001' }],
  ['PUFFLE_MAX_RATE_LIMIT_WAIT_MS', { PUFFLE_MAX_RATE_LIMIT_WAIT_MS: '0' }],
  ['PUFFLE_RATE_LIMIT_PER_MIN', { PUFFLE_RATE_LIMIT_PER_MIN: '0' }],
  ['PUFFLE_RATE_LIMIT_PER_MIN', { PUFFLE_RATE_LIMIT_PER_MIN: '1000000001' }],
  ['PUFFLE_RATE_LIMIT_PER_MIN', { PUFFLE_RATE_LIMIT_PER_MIN: KEY }],
  ['PUFFLE_MAX_RESPONSE_BYTES', { PUFFLE_MAX_RESPONSE_BYTES: '1000' }],
  ['PUFFLE_MAX_RESPONSE_BYTES', { PUFFLE_MAX_RESPONSE_BYTES: '2147483648' }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: 'public' }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: 'pg_toast' }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: 'information_schema' }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: 'Puffle' }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: 'a'.repeat(64) }],
  ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: `x"; drop schema public; --${SECRET}` }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: '..' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: 'run_1,.' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: 'run_1,a/b' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: 'a\\b' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: '%2e%2e' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: 'a\u0001b' }],
  ['PUFFLE_ENRICHMENT_RUN_IDS', { PUFFLE_ENRICHMENT_RUN_IDS: 'x'.repeat(513) }],
  [
    'PUFFLE_ENRICHMENT_RUN_IDS',
    { PUFFLE_ENRICHMENT_RUN_IDS: Array.from({ length: 1001 }, (_, i) => `r${i}`).join() },
  ],
  ['PUFFLE_QUEUE_PREFIX', { PUFFLE_QUEUE_PREFIX: `a {${SECRET}}` }],
  ['PUFFLE_QUEUE_PREFIX', { PUFFLE_QUEUE_PREFIX: 'p'.repeat(65) }],
  ['PUFFLE_QUEUE_PREFIX', { PUFFLE_QUEUE_PREFIX: ':leading' }],
  ['PUFFLE_SYNC_DATA_DIR', { PUFFLE_SYNC_DATA_DIR: 'dir\u0007' }],
  ['PUFFLE_SYNC_DATA_DIR', { PUFFLE_SYNC_DATA_DIR: `/${'d'.repeat(1100)}` }],
  ['PUFFLE_SYNC_SCHEDULE', { PUFFLE_SYNC_SCHEDULE: 'every night' }],
  ['PUFFLE_SYNC_SCHEDULE', { PUFFLE_SYNC_SCHEDULE: '0 2 * *' }],
  ['PUFFLE_SYNC_SCHEDULE', { PUFFLE_SYNC_SCHEDULE: '0 2 * * * * *' }],
  ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: KEY }],
  ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: `ftp://host/${KEY}` }],
  ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: 'https://app.puffle.ai/api' }],
  ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: `https://u:${SECRET}@app.puffle.ai` }],
  ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: 'https://app.puffle.ai/?x=1' }],
  ['DATABASE_URL', { DATABASE_URL: KEY }],
  ['DATABASE_URL', { DATABASE_URL: `mysql://u:${SECRET}@h/db` }],
  ['DATABASE_URL', { DATABASE_URL: `postgres://h/${'d'.repeat(4100)}` }],
  ['REDIS_URL', { REDIS_URL: `http://:${SECRET}@h:6379` }],
  ['PUFFLE_API_KEY', { PUFFLE_API_KEY: `${KEY} trailing junk` }],
  ['PUFFLE_API_KEY', { PUFFLE_API_KEY: SECRET }],
  ['PUFFLE_API_KEY', { PUFFLE_API_KEY: 'pk_live_short' }],
  ['PUFFLE_DASHBOARD_TOKEN', { PUFFLE_DASHBOARD_TOKEN: 'tooShortToken' }],
  ['PUFFLE_DASHBOARD_TOKEN', { PUFFLE_DASHBOARD_TOKEN: `has spaces in ${SECRET}` }],
  ['PUFFLE_DASHBOARD_ALLOWED_HOSTS', { PUFFLE_DASHBOARD_ALLOWED_HOSTS: 'ok.example,bad host' }],
  ['PUFFLE_DASHBOARD_ALLOWED_HOSTS', { PUFFLE_DASHBOARD_ALLOWED_HOSTS: 'http://x.example' }],
  ['PUFFLE_FRESHNESS_TARGETS', { PUFFLE_FRESHNESS_TARGETS: 'leads' }],
  ['PUFFLE_SYNC_STREAMS', { PUFFLE_SYNC_STREAMS: 'leads,no_such_stream' }],
  ['PUFFLE_FRESHNESS_TARGETS', { PUFFLE_FRESHNESS_TARGETS: 'leads=2 hours' }],
  ['PUFFLE_FRESHNESS_TARGETS', { PUFFLE_FRESHNESS_TARGETS: `${SECRET}=2h` }],
  ['PUFFLE_FRESHNESS_TARGETS', { PUFFLE_FRESHNESS_TARGETS: 'leads=2h,leads=3h' }],
  ['PUFFLE_FRESHNESS_TARGETS', { PUFFLE_FRESHNESS_TARGETS: 'leads=367d' }],
  ['PUFFLE_QUEUE_BACKEND', { PUFFLE_QUEUE_BACKEND: 'kafka' }],
  ['PUFFLE_WEBHOOK_SECRET', { PUFFLE_WEBHOOK_SECRET: 'whsec_not!base64secretvalue' }],
  ['PUFFLE_WEBHOOK_SECRET', { PUFFLE_WEBHOOK_SECRET: `whsec_${SECRET}` }],
  ['PUFFLE_WEBHOOK_SECRET', { PUFFLE_WEBHOOK_SECRET: SECRET }],
  ['PUFFLE_WEBHOOK_SECRET', { PUFFLE_WEBHOOK_SECRET: [WHSEC, `${WHSEC}a`, `${WHSEC}b`].join('\n') }],
  ['PUFFLE_EXCLUDE_COLUMNS', { PUFFLE_EXCLUDE_COLUMNS: 'phone' }],
  ['PUFFLE_EXCLUDE_COLUMNS', { PUFFLE_EXCLUDE_COLUMNS: `campaign_leads.email,leads.${SECRET}-x` }],
  [
    'PUFFLE_EXCLUDE_COLUMNS',
    { PUFFLE_EXCLUDE_COLUMNS: Array.from({ length: 1001 }, (_, i) => `leads.f${i}`).join() },
  ],
  ['PUFFLE_HASH_COLUMNS', { PUFFLE_HASH_COLUMNS: 'campaign_leads.email.domain' }],
  ['PUFFLE_HASH_KEY', { PUFFLE_HASH_KEY: SECRET }],
  ['PUFFLE_HASH_KEY', { PUFFLE_HASH_KEY: 'k'.repeat(1025) }],
  ['PUFFLE_HASH_KEY', { PUFFLE_HASH_KEY: `${SECRET}\u0007${SECRET}` }],
  ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
  ['PUFFLE_ACCEPT_MASS_DELETES', { PUFFLE_ACCEPT_MASS_DELETES: 'maybe' }],
  ['PUFFLE_MASS_DELETE_PERCENT', { PUFFLE_MASS_DELETE_PERCENT: '0' }],
  ['PUFFLE_MASS_DELETE_PERCENT', { PUFFLE_MASS_DELETE_PERCENT: '101' }],
  ['PUFFLE_MASS_DELETE_PERCENT', { PUFFLE_MASS_DELETE_PERCENT: '15.5' }],
  ['PUFFLE_MASS_DELETE_MIN_ROWS', { PUFFLE_MASS_DELETE_MIN_ROWS: '0' }],
  ['PUFFLE_COMMIT_GROUP_PAGES', { PUFFLE_COMMIT_GROUP_PAGES: '0' }],
  ['PUFFLE_COMMIT_GROUP_PAGES', { PUFFLE_COMMIT_GROUP_PAGES: '1001' }],
  ['PUFFLE_COMMIT_GROUP_ROWS', { PUFFLE_COMMIT_GROUP_ROWS: '0' }],
  ['PUFFLE_COMMIT_GROUP_FETCH_MS', { PUFFLE_COMMIT_GROUP_FETCH_MS: '600001' }],
];

/** Values the messages mention themselves (reserved names, the example pattern). */
const NAMED_IN_MESSAGES = new Set(['public', 'information_schema', '0 2 * *']);

describe('every variable has bounds', () => {
  it.each(BAD_ENV)('%s: one line naming it, no value echoed (%#)', (variable, env) => {
    const err = configError(env);
    expect(err.message).toContain(variable);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message).not.toContain(SECRET);
    for (const value of Object.values(env))
      if (value.length > 3 && !NAMED_IN_MESSAGES.has(value)) expect(err.message).not.toContain(value);
  });

  it('every declared variable appears in the table above', () => {
    const tested = new Set(BAD_ENV.map(([name]) => name));
    const untested = Object.values(VARIABLES)
      .map((v) => v.env)
      .filter((env) => !tested.has(env));
    expect(untested).toEqual([]);
  });

  it.each([
    ['PUFFLE_REQUEST_TIMEOUT_MS', '100', 100],
    ['PUFFLE_REQUEST_TIMEOUT_MS', '600000', 600_000],
    ['PUFFLE_SIGNALS_LOOKBACK_MS', '0', 0],
    ['PUFFLE_SIGNALS_LOOKBACK_MS', '2592000000', 2_592_000_000],
    ['PUFFLE_RATE_LIMIT_PER_MIN', '1', 1],
    ['PUFFLE_RATE_LIMIT_PER_MIN', '1000000000', 1_000_000_000],
    ['PUFFLE_MAX_RATE_LIMIT_WAIT_MS', '1000', 1000],
    ['PUFFLE_MAX_RESPONSE_BYTES', '1048576', 1_048_576],
    ['PUFFLE_MAX_RESPONSE_BYTES', '1073741824', 1_073_741_824],
    ['PUFFLE_MASS_DELETE_PERCENT', '1', 1],
    ['PUFFLE_MASS_DELETE_PERCENT', '100', 100],
    ['PUFFLE_MASS_DELETE_MIN_ROWS', '1', 1],
    ['PUFFLE_COMMIT_GROUP_PAGES', '1', 1],
    ['PUFFLE_COMMIT_GROUP_PAGES', '1000', 1000],
    ['PUFFLE_COMMIT_GROUP_ROWS', '1000000', 1_000_000],
    ['PUFFLE_COMMIT_GROUP_FETCH_MS', '1', 1],
    ['PUFFLE_ACCEPT_MASS_DELETES', 'yes', true],
    ['PUFFLE_ACCEPT_MASS_DELETES', 'FALSE', false],
  ])('%s=%s is accepted (a bound, inclusive)', (name, raw, value) => {
    const config = loadConfig({ ...base, [name]: raw });
    const field = Object.entries(VARIABLES).find(([, v]) => v.env === name)![0];
    expect(config[field as keyof typeof config]).toBe(value);
  });

  it('normalises what it accepts: ids deduplicated, prefixes and schedules trimmed, blanks unset', () => {
    const config = loadConfig({
      ...base,
      PUFFLE_ENRICHMENT_RUN_IDS: ' run_1, run_2 ,,run_1 ',
      PUFFLE_SYNC_SCHEDULE: ' 0  3 * * 1 ',
      PUFFLE_DASHBOARD_ALLOWED_HOSTS: 'Dash.Example.com,[::1]',
      PUFFLE_SYNC_SCHEMA: '   ',
      LOG_LEVEL: 'DEBUG',
      PUFFLE_WEBHOOK_SECRET: ` ${WHSEC}\n${WHSEC}x \n`,
      PUFFLE_EXCLUDE_COLUMNS: ' leads.email, campaign_leads.email ,leads.email',
    });
    expect(config.enrichmentRunIds).toEqual(['run_1', 'run_2']);
    expect(config.schedule).toBe('0 3 * * 1');
    expect(config.dashboardAllowedHosts).toEqual(['dash.example.com', '::1']);
    expect(config.schema).toBe('puffle');
    expect(config.logLevel).toBe('debug');
    expect(config.webhookSecrets).toEqual([WHSEC, `${WHSEC}x`]);
    expect(config.excludeColumns).toEqual(['leads.email', 'campaign_leads.email']);
  });
});

describe('PUFFLE_API_KEY_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'puffle-keyfile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  it('reads the key from a file, ignoring the trailing newline', () => {
    const config = loadConfig({ PUFFLE_API_KEY_FILE: file('ok', `${KEY}\n`) }, { requireKey: true });
    expect(config.apiKey).toBe(KEY);
  });

  it.each([
    [
      'a missing file',
      () => ({ PUFFLE_API_KEY_FILE: join(dir, 'absent') }),
      /PUFFLE_API_KEY_FILE: cannot read .*absent \(ENOENT\)/,
    ],
    [
      'an empty file',
      () => ({ PUFFLE_API_KEY_FILE: file('empty', '\n') }),
      /PUFFLE_API_KEY_FILE: .* is empty/,
    ],
    ['a directory', () => ({ PUFFLE_API_KEY_FILE: dir }), /PUFFLE_API_KEY_FILE must name a file/],
    [
      'a huge file',
      () => ({ PUFFLE_API_KEY_FILE: file('huge', 'k'.repeat(20_000)) }),
      /more than a secret file holds/,
    ],
    [
      'a malformed key, never echoed',
      () => ({ PUFFLE_API_KEY_FILE: file('bad', `${SECRET}\n`) }),
      /the content of PUFFLE_API_KEY_FILE must be a Puffle API key/,
    ],
    [
      'both the variable and the file',
      () => ({ PUFFLE_API_KEY: KEY, PUFFLE_API_KEY_FILE: file('both', KEY) }),
      /set PUFFLE_API_KEY or PUFFLE_API_KEY_FILE, not both/,
    ],
  ])('%s is a one-line configuration error', (_what, env, message) => {
    let err: unknown;
    try {
      loadConfig(
        { PUFFLE_API_BASE_URL: 'http://127.0.0.1:9', PUFFLE_API_KEY: undefined, ...env() },
        { requireKey: true },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(SECRET);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('is read only by the commands that use the key', () => {
    const env = { PUFFLE_API_KEY_FILE: join(dir, 'mounted-on-workers-only') };
    expect(() => loadConfig(env, { command: 'worker' })).toThrow(/PUFFLE_API_KEY_FILE/);
    expect(loadConfig(env, { command: 'dashboard' }).apiKey).toBeUndefined();
  });
});

/** Runs the real CLI; asserts exit 2 and one stderr line naming `names`. */
function expectConfigError(res: CliResult, name: string): void {
  const lines = res.stderr.trim().split('\n');
  expect(res.code, res.stderr).toBe(2);
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^puffle-sync: /);
  expect(lines[0]).toContain(name);
  expect(res.stdout + res.stderr).not.toContain(SECRET);
}

describe('the CLI: exit 2 and one line naming the setting', () => {
  let dir: string;
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'puffle-bounds-'));
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    mkdirSync(join(dir, 'has-pgdata-file'));
    writeFileSync(join(dir, 'has-pgdata-file', 'pgdata'), 'not a database');
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  const env = (extra: Record<string, string | undefined> = {}) => ({
    PUFFLE_API_KEY: KEY,
    PUFFLE_API_BASE_URL: 'http://127.0.0.1:9',
    PUFFLE_SYNC_DATA_DIR: join(dir, 'data'),
    ...extra,
  });
  const pg = 'postgres://postgres@127.0.0.1:5432/postgres';

  // [names, argv, extra environment]; argv is read when the case runs (the busy port is known then).
  const CASES: Array<[string, string[] | (() => string[]), () => Record<string, string | undefined>]> = [
    ['PUFFLE_SIGNALS_LOOKBACK_MS', ['sync'], () => ({ PUFFLE_SIGNALS_LOOKBACK_MS: 'abc' })],
    ['PUFFLE_REQUEST_TIMEOUT_MS', ['sync'], () => ({ PUFFLE_REQUEST_TIMEOUT_MS: '99999999999' })],
    ['--streams', ['sync', '--streams', ',,,'], () => ({})],
    ['--streams', ['sync', '--streams', 'campaigns,nope'], () => ({})],
    ['PUFFLE_SYNC_DATA_DIR', ['migrate'], () => ({ PUFFLE_SYNC_DATA_DIR: join(dir, 'a-file', 'sub') })],
    ['PUFFLE_SYNC_DATA_DIR', ['migrate'], () => ({ PUFFLE_SYNC_DATA_DIR: join(dir, 'a-file') })],
    ['PUFFLE_SYNC_DATA_DIR', ['migrate'], () => ({ PUFFLE_SYNC_DATA_DIR: join(dir, 'has-pgdata-file') })],
    ['PUFFLE_SYNC_SCHEMA', ['migrate'], () => ({ PUFFLE_SYNC_SCHEMA: 'public' })],
    ['--schema', ['migrate', '--schema', 'pg_catalog'], () => ({})],
    ['--host', ['dashboard', '--host', 'not a host!'], () => ({ DATABASE_URL: pg })],
    ['--host', ['dashboard', '--host', '203.0.113.7', '--port', '0'], () => ({ DATABASE_URL: pg })],
    ['--port', () => ['dashboard', '--port', String(busyPort)], () => ({ DATABASE_URL: pg })],
    ['--port', ['dashboard', '--port', '65536'], () => ({ DATABASE_URL: pg })],
    [
      '--port',
      () => ['worker', '--port', String(busyPort)],
      () => ({ REDIS_URL: testRedisUrl(), DATABASE_URL: pg }),
    ],
    [
      '--host',
      ['worker', '--port', '0', '--host', '203.0.113.7'],
      () => ({ REDIS_URL: testRedisUrl(), DATABASE_URL: pg }),
    ],
    ['PUFFLE_ENRICHMENT_RUN_IDS', ['sync'], () => ({ PUFFLE_ENRICHMENT_RUN_IDS: '..' })],
    ['--enrichment-run-ids', ['sync', '--enrichment-run-ids', 'ok,../x'], () => ({})],
    ['LOG_LEVEL', ['status'], () => ({ LOG_LEVEL: 'verbose' })],
    ['--concurrency', ['sync', '--concurrency', '0'], () => ({})],
    ['--concurrency', ['worker', '--concurrency', 'many'], () => ({})],
    ['--lock-duration', ['worker', '--lock-duration', '5'], () => ({})],
    ['--shutdown-timeout', ['worker', '--shutdown-timeout', '3601'], () => ({})],
    ['--from', ['backfill', '--from', '1999-12-31'], () => ({})],
    ['--from', ['backfill', '--from', 'last tuesday'], () => ({})],
    ['--to', ['backfill', '--from', '2025-01-01', '--to', '2999-01-01'], () => ({})],
    [
      '--from',
      ['backfill', '--from', '2025-03-01', '--to', '2025-02-01'],
      () => ({ REDIS_URL: testRedisUrl() }),
    ],
    ['--cron', ['schedule', '--cron', 'at night'], () => ({})],
    ['--tz', ['schedule', '--tz', 'Mars/Olympus'], () => ({})],
    ['--scale', ['demo', '--scale', '5'], () => ({})],
    ['--seed', ['demo', '--seed', '-1'], () => ({})],
    ['--port', ['simulate', '--port', '70000'], () => ({})],
    ['--latency-ms', ['simulate', '--latency-ms', '60001'], () => ({})],
    // A key `sync` would refuse (docs/simulator.md once showed one) is refused by the simulator too.
    ['--key', ['simulate', '--port', '0', '--key', 'pk_live_second'], () => ({ PUFFLE_API_KEY: undefined })],
    ['PUFFLE_API_KEY', ['simulate', '--port', '0'], () => ({ PUFFLE_API_KEY: 'pk_live_mykey' })],
    ['--key', ['status', '--key', KEY], () => ({})],
    ['--rate-limit-per-min', ['sync', '--rate-limit-per-min', '1.5'], () => ({})],
    ['--wait', ['sync', '--wait'], () => ({})],
    ['--remove', ['schedule', '--remove', '--cron', '0 3 * * *'], () => ({})],
    [
      'PUFFLE_API_KEY_FILE',
      ['sync'],
      () => ({ PUFFLE_API_KEY: undefined, PUFFLE_API_KEY_FILE: join(dir, 'nope') }),
    ],
    ['PUFFLE_DASHBOARD_TOKEN', ['dashboard'], () => ({ DATABASE_URL: pg, PUFFLE_DASHBOARD_TOKEN: 'short' })],
    ['PUFFLE_MAX_RESPONSE_BYTES', ['worker'], () => ({ PUFFLE_MAX_RESPONSE_BYTES: '10' })],
    ['--exclude-columns', ['sync', '--exclude-columns', 'email'], () => ({})],
    ['PUFFLE_HASH_KEY', ['sync'], () => ({ PUFFLE_HASH_KEY: SECRET })],
    ['PUFFLE_WEBHOOK_SECRET', ['webhooks'], () => ({ PUFFLE_WEBHOOK_SECRET: `whsec_${SECRET}!` })],
    [
      'PUFFLE_WEBHOOK_SECRET_FILE',
      ['webhooks'],
      () => ({ PUFFLE_WEBHOOK_SECRET_FILE: join(dir, 'no-secret-here') }),
    ],
    ['--port', ['webhooks', '--port', '65536'], () => ({})],
    ['--path', ['webhooks', '--path', 'no-leading-slash'], () => ({})],
    ['--port', ['sql', '--port', '-1'], () => ({})],
    ['--host', ['sql', '--host', 'not a host!'], () => ({})],
    ['--webhook-url', ['simulate', '--webhook-url', 'ftp://127.0.0.1/x'], () => ({})],
    [
      '--webhook-secret',
      ['simulate', '--webhook-url', 'http://127.0.0.1:9/x', '--webhook-secret', `whsec_${SECRET}!`],
      () => ({}),
    ],
  ];

  it.concurrent.each(CASES)('%s: %j', { timeout: 60_000 }, async (name, argv, extra) => {
    expectConfigError(await runCli(typeof argv === 'function' ? argv() : argv, env(extra())), name);
  });

  it('a data directory this user cannot write', { timeout: 60_000 }, async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    // As root every ordinary directory is writable, so root gets /sys, which refuses even root
    // (running the CLI as `nobody` fails earlier when the checkout sits in a private mktemp dir).
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(locked, 0o500);
    const dataDir = asRoot ? '/sys/puffle-sync-data' : join(locked, 'data');
    const res = await runCli(['migrate'], env({ PUFFLE_SYNC_DATA_DIR: dataDir }));
    expectConfigError(res, 'PUFFLE_SYNC_DATA_DIR');
    expect(res.stderr).toContain('not writable');
  });

  it('--version prints the version and exits 0', async () => {
    const res = await runCli(['--version'], {});
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
