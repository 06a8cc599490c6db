/**
 * `puffle-sync simulate` — run the Puffle API simulator (src/simulator) in the foreground: every
 * stream of SYNC-CATALOG.md over HTTP, with rate limits and optional injected faults. Prints the
 * base URL, the key to use and the admin token; SIGINT/SIGTERM shut it down cleanly.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import {
  generateWebhookSecret,
  parseFaultSpec,
  type RetryAfterForm,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/index.ts';

const wholeNumber = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
};

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Serve a simulated Puffle API (all 24 streams) for tests, benchmarks and demos')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--scale <n>', 'number of leads; every other stream is sized from it (docs/simulator.md)', '300')
    .option('--seed <n>', 'data seed: the same seed and scale give identical data', '1')
    .option('--rate-limit-per-min <n>', 'requests per minute per key (0 = unlimited)', '100')
    .option('--faults <spec>', "inject faults, e.g. '503@/api/leads#2,5;reset@/api/lists/*/leads~0.1'")
    .option('--key <key>', 'accepted pk_live_ key (repeatable; also PUFFLE_API_KEY)', collect, [] as string[])
    .option('--latency-ms <n>', 'delay added to every response', '0')
    .option('--retry-after <form>', 'Retry-After on 429: seconds | http-date | absent | mixed', 'seconds')
    .option('--error-format <format>', 'error envelope: nested | flat', 'nested')
    .option('--webhook-url <url>', 'deliver signed webhooks (new signals, finished research) to this URL')
    .option('--webhook-secret <whsec>', 'signing secret for --webhook-url (default: generated and printed)')
    .action(async (opts) => {
      const options = simulatorOptions(opts, process.env.PUFFLE_API_KEY);
      const sim = await startSimulator(options);
      const given = new Set(options.keys ?? []);
      const shown = sim.keys.map((k) => (given.has(k) ? `${k.slice(0, 8)}…${k.slice(-4)} (as given)` : k));
      const rl = options.rateLimit ? `${options.rateLimit.limit}/min per key` : 'unlimited';
      process.stdout.write(
        [
          `Puffle simulator listening on ${sim.url}  (scale ${options.scale}, seed ${options.seed}, rate limit ${rl})`,
          `  PUFFLE_API_BASE_URL=${sim.url}`,
          ...shown.map((k) => `  PUFFLE_API_KEY=${k}`),
          `  PUFFLE_ENRICHMENT_RUN_IDS=${sim.enrichmentRunIds.join(',')}`,
          `  admin token: ${sim.adminToken}  (header x-admin-token, routes under ${sim.url}/__admin/)`,
          options.faults?.length ? `  faults: ${opts.faults}` : '',
          options.webhook
            ? `  webhooks → ${options.webhook.url}  PUFFLE_WEBHOOK_SECRET=${options.webhook.secret}`
            : '',
          'Press Ctrl-C to stop.',
          '',
        ]
          .filter((l) => l !== '')
          .join('\n') + '\n',
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sim.close();
      process.stdout.write(`simulator stopped after ${sim.requestCount} requests\n`);
    });
}

export function simulatorOptions(
  opts: Record<string, unknown>,
  envKey: string | undefined,
): SimulatorOptions {
  const keys = [...(envKey?.trim() ? [envKey.trim()] : []), ...((opts.key as string[]) ?? [])];
  for (const k of keys)
    if (!/^pk_live_[A-Za-z0-9_-]+$/.test(k)) throw new ConfigError('keys must look like pk_live_…');
  const perMin = wholeNumber('--rate-limit-per-min', String(opts.rateLimitPerMin), 0);
  const retryAfter = String(opts.retryAfter) as RetryAfterForm;
  if (!['seconds', 'http-date', 'absent', 'mixed'].includes(retryAfter))
    throw new ConfigError('--retry-after must be seconds, http-date, absent or mixed');
  const errorFormat = String(opts.errorFormat);
  if (errorFormat !== 'nested' && errorFormat !== 'flat')
    throw new ConfigError('--error-format must be nested or flat');
  let faults: SimulatorOptions['faults'] = [];
  try {
    faults = opts.faults ? parseFaultSpec(String(opts.faults)) : [];
  } catch (err) {
    throw new ConfigError(`--faults: ${(err as Error).message}`, { cause: err });
  }
  return {
    webhook: webhookOption(opts),
    port: wholeNumber('--port', String(opts.port), 0),
    host: String(opts.host),
    scale: wholeNumber('--scale', String(opts.scale), 1),
    seed: wholeNumber('--seed', String(opts.seed), 0),
    rateLimit: perMin === 0 ? null : { limit: perMin, windowMs: 60_000 },
    faults,
    keys: keys.length ? keys : undefined,
    latencyMs: wholeNumber('--latency-ms', String(opts.latencyMs), 0),
    retryAfter,
    errorFormat,
    // A long-running server keeps only the recent log (GET /__admin/requests); the counter keeps counting.
    logCap: 10_000,
  };
}

function webhookOption(opts: Record<string, unknown>): SimulatorOptions['webhook'] {
  if (opts.webhookUrl === undefined) {
    if (opts.webhookSecret !== undefined) throw new ConfigError('--webhook-secret needs --webhook-url');
    return undefined;
  }
  const url = String(opts.webhookUrl);
  if (!URL.canParse(url) || !/^https?:/.test(url))
    throw new ConfigError(`--webhook-url must be an http(s) URL, got ${JSON.stringify(url)}`);
  const secret = opts.webhookSecret === undefined ? generateWebhookSecret() : String(opts.webhookSecret);
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret))
    throw new ConfigError('--webhook-secret must look like whsec_<base64>');
  return { url, secret };
}
