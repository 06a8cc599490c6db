/**
 * `puffle-sync webhooks` — the near-real-time receiver: Puffle's Svix deliveries trigger targeted
 * syncs within seconds (src/webhooks). `--portal` prints the Svix portal URL where the endpoint is
 * added instead.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import {
  apiKeyId,
  createPuffleClient,
  createRequestBudget,
  fetchPortalUrl,
  RequestRejectedError,
} from '../../extract/index.ts';
import { createLogger } from '../../log.ts';
import { KNOWN_EVENT_TYPES, startWebhookService, WEBHOOK_DEFAULTS } from '../../webhooks/index.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { parsePort } from './dashboard.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('webhooks')
      .description(
        'Receive Puffle webhooks (Svix) and sync the signal or research they announce within seconds',
      )
      .option('--port <port>', 'port to listen on (0 = any free port)', String(WEBHOOK_DEFAULTS.port))
      .option('--host <address>', 'address to bind (put a TLS reverse proxy in front)', WEBHOOK_DEFAULTS.host)
      .option('--path <path>', 'URL path Puffle delivers to', WEBHOOK_DEFAULTS.path)
      .option('--portal', 'print the Svix portal URL where the endpoint is added, then exit')
      .addHelpText(
        'after',
        "\nPUFFLE_WEBHOOK_SECRET (or PUFFLE_WEBHOOK_SECRET_FILE) holds the endpoint's signing secret\n" +
          '(whsec_…; two, comma-separated, while rotating). Without REDIS_URL the receiver runs the\n' +
          'targeted syncs itself (PUFFLE_API_KEY needed); with it, `puffle-sync worker`s run them.\n',
      ),
  ).action(async (opts) => {
    if (opts.portal) return printPortal(opts);
    const config = configFromOptions(opts);
    const port = parsePort(opts.port);
    if (!String(opts.path).startsWith('/'))
      throw new ConfigError(`--path must start with /, got ${JSON.stringify(opts.path)}`);
    const logger = createLogger({ interactive: Boolean(process.stderr.isTTY) });
    const service = await startWebhookService(config, logger, { host: opts.host, port, path: opts.path });
    process.stdout.write(
      `webhooks listening on ${service.receiver.endpoint} (${
        service.mode === 'queue' ? 'targeted syncs queued for the workers' : 'targeted syncs run here'
      }; /healthz, /metrics)\n`,
    );
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    await service.close();
  });
}

async function printPortal(opts: Record<string, unknown>): Promise<void> {
  const config = configFromOptions(opts, { requireKey: true });
  const apiKey = config.apiKey!;
  const budget = createRequestBudget({ perMinute: config.rateLimitPerMin, keyId: apiKeyId(apiKey) });
  const client = createPuffleClient({
    baseUrl: config.baseUrl,
    apiKey,
    timeoutMs: config.requestTimeoutMs,
    maxRateLimitWaitMs: config.maxRateLimitWaitMs,
    budget,
    logger: createLogger({ interactive: Boolean(process.stderr.isTTY) }),
  });
  try {
    const url = await fetchPortalUrl(client);
    process.stdout.write(
      `${url}\n` +
        `Open it within a few minutes and add an endpoint: your public URL ending in ${String(opts.path)}, events ${KNOWN_EVENT_TYPES.join(', ')}; then put its signing secret (whsec_…) in PUFFLE_WEBHOOK_SECRET.\n`,
    );
  } catch (err) {
    if (err instanceof RequestRejectedError && err.isNotFound)
      throw new ConfigError(
        'Puffle has no webhook app for this API key (404): revoke the key in Puffle, create a new one, then try again',
        { cause: err },
      );
    throw err;
  } finally {
    await client.close();
    await budget.close();
  }
}
