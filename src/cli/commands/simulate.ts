/**
 * `puffle-sync simulate` — run the Puffle API simulator (src/simulator) in the foreground: every
 * stream of the catalog (docs/streams.md) over HTTP, with rate limits and optional injected faults. Prints the
 * base URL, the key to use and the admin token; SIGINT/SIGTERM shut it down cleanly.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { choice, host, integer, url } from '../../config/kinds.ts';
import { VARIABLES, webhookSecret } from '../../config/variables.ts';
import { STREAMS } from '../../extract/streams.ts';
import {
  generateWebhookSecret,
  parseFaultSpec,
  type RetryAfterForm,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/index.ts';
import { boundedOption, parseFlag } from '../flags.ts';
import { listenOrConfigError } from '../listen-error.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      `Serve a simulated Puffle API (all ${STREAMS.length} streams) for tests, benchmarks and demos`,
    )
    .addOption(
      boundedOption(
        '--port <n>',
        'port to listen on (0 = any free port)',
        integer({ min: 0, max: 65_535 }),
        4010,
      ),
    )
    .addOption(boundedOption('--host <host>', 'interface to bind', host(), '127.0.0.1'))
    .addOption(
      boundedOption(
        '--scale <n>',
        'number of leads; every other stream is sized from it (docs/simulator.md)',
        integer({ min: 1, max: 1_000_000 }),
        300,
      ),
    )
    .addOption(
      boundedOption(
        '--seed <n>',
        'data seed: the same seed and scale give identical data',
        integer({ min: 0, max: 2_147_483_647 }),
        1,
      ),
    )
    .addOption(
      boundedOption(
        '--rate-limit-per-min <n>',
        'requests per minute per key (0 = unlimited)',
        integer({ min: 0, max: 1_000_000 }),
        100,
      ),
    )
    .option('--faults <spec>', "inject faults, e.g. '503@/api/leads#2,5;reset@/api/lists/*/leads~0.1'")
    .option('--key <key>', 'accepted pk_live_ key (repeatable; also PUFFLE_API_KEY)', collect, [] as string[])
    .addOption(
      boundedOption('--latency-ms <n>', 'delay added to every response', integer({ min: 0, max: 60_000 }), 0),
    )
    .addOption(
      boundedOption(
        '--retry-after <form>',
        'Retry-After on 429',
        choice(['seconds', 'http-date', 'absent', 'mixed'] as const),
        'seconds',
      ),
    )
    .addOption(
      boundedOption(
        '--error-format <format>',
        'error envelope',
        choice(['nested', 'flat'] as const),
        'nested',
      ),
    )
    .addOption(
      boundedOption(
        '--webhook-url <url>',
        'deliver signed webhooks (new signals, finished research) to this URL',
        url(['http:', 'https:']),
      ),
    )
    .addOption(
      boundedOption(
        '--webhook-secret <whsec>',
        'signing secret for --webhook-url (default: generated and printed)',
        webhookSecret,
      ),
    )
    .action(async (opts) => {
      const options = simulatorOptions(opts, process.env.PUFFLE_API_KEY);
      const sim = await listenOrConfigError(() => startSimulator(options), {
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 0,
      });
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
  // The keys `sync` accepts, no others: a key that works here works against Puffle's rules too.
  const keys = [
    ...(envKey?.trim() ? [parseFlag('PUFFLE_API_KEY', VARIABLES.apiKey.kind, envKey)] : []),
    ...((opts.key as string[]) ?? []).map((k) => parseFlag('--key', VARIABLES.apiKey.kind, k)),
  ];
  const perMin = Number(opts.rateLimitPerMin);
  const retryAfter = opts.retryAfter as RetryAfterForm;
  const errorFormat = opts.errorFormat as 'nested' | 'flat';
  let faults: SimulatorOptions['faults'] = [];
  try {
    faults = opts.faults ? parseFaultSpec(String(opts.faults)) : [];
  } catch (err) {
    throw new ConfigError(`--faults: ${(err as Error).message}`, { cause: err });
  }
  return {
    webhook: webhookOption(opts),
    port: Number(opts.port),
    host: String(opts.host),
    scale: Number(opts.scale),
    seed: Number(opts.seed),
    rateLimit: perMin === 0 ? null : { limit: perMin, windowMs: 60_000 },
    faults,
    keys: keys.length ? keys : undefined,
    latencyMs: Number(opts.latencyMs),
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
  const secret = opts.webhookSecret === undefined ? generateWebhookSecret() : String(opts.webhookSecret);
  return { url: String(opts.webhookUrl), secret };
}
