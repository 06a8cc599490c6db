/**
 * `puffle-sync webhooks` — the near-real-time receiver: Puffle's Svix deliveries trigger targeted
 * syncs within seconds (src/webhooks). `--portal` prints the Svix portal URL where the endpoint is
 * added instead.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { host, integer, text } from '../../config/kinds.ts';
import {
  apiKeyId,
  createPuffleClient,
  createRequestBudget,
  fetchPortalUrl,
  RequestRejectedError,
} from '../../extract/index.ts';
import { createLogger } from '../../log.ts';
import { KNOWN_EVENT_TYPES, startWebhookService, WEBHOOK_DEFAULTS } from '../../webhooks/index.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { boundedOption } from '../flags.ts';
import { printOut } from '../output.ts';
import { onShutdownSignal } from '../shutdown.ts';

const urlPath = text({
  pattern: /^\/[\x21-\x7e]{0,255}$/,
  expect: 'a URL path starting with / (printable characters, no spaces)',
});

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('webhooks')
      .description(
        'Receive Puffle webhooks (Svix) and sync the signal or research they announce within seconds',
      )
      .addOption(
        boundedOption(
          '--port <port>',
          'port to listen on (0 = any free port)',
          integer({ min: 0, max: 65_535 }),
          WEBHOOK_DEFAULTS.port,
        ),
      )
      .addOption(
        boundedOption(
          '--host <address>',
          'address to bind (put a TLS reverse proxy in front)',
          host(),
          WEBHOOK_DEFAULTS.host,
        ),
      )
      .addOption(
        boundedOption('--path <path>', 'URL path Puffle delivers to', urlPath, WEBHOOK_DEFAULTS.path),
      )
      .option('--portal', 'print the Svix portal URL where the endpoint is added, then exit')
      .addHelpText(
        'after',
        "\nPUFFLE_WEBHOOK_SECRET (or PUFFLE_WEBHOOK_SECRET_FILE) holds the endpoint's signing secret\n" +
          '(whsec_…; two, comma-separated, while rotating). Without REDIS_URL the receiver runs the\n' +
          'targeted syncs itself (PUFFLE_API_KEY needed); with it, `puffle-sync worker`s run them.\n',
      ),
  ).action(async (opts, cmd: Command) => {
    if (opts.portal) return printPortal(cmd);
    const config = configOf(cmd);
    const logger = createLogger({ interactive: Boolean(process.stderr.isTTY), level: config.logLevel });
    const service = await startWebhookService(config, logger, {
      host: opts.host,
      port: opts.port,
      path: opts.path,
    });
    printOut(
      `webhooks listening on ${service.receiver.endpoint} (${
        service.mode === 'queue' ? 'targeted syncs queued for the workers' : 'targeted syncs run here'
      }; /healthz, /metrics)`,
    );
    await new Promise<void>((resolve) => onShutdownSignal(resolve));
    await service.close();
  });
}

async function printPortal(cmd: Command): Promise<void> {
  const config = configOf(cmd, { requireKey: true });
  const apiKey = config.apiKey!;
  const budget = createRequestBudget({ perMinute: config.rateLimitPerMin, keyId: apiKeyId(apiKey) });
  const client = createPuffleClient({
    baseUrl: config.baseUrl,
    apiKey,
    timeoutMs: config.requestTimeoutMs,
    maxRateLimitWaitMs: config.maxRateLimitWaitMs,
    maxResponseBytes: config.maxResponseBytes,
    budget,
    logger: createLogger({ interactive: Boolean(process.stderr.isTTY), level: config.logLevel }),
  });
  try {
    const url = await fetchPortalUrl(client);
    process.stdout.write(
      `${url}\n` +
        `Open it within a few minutes and add an endpoint: your public URL ending in ${String(cmd.opts().path)}, events ${KNOWN_EVENT_TYPES.join(', ')}; then put its signing secret (whsec_…) in PUFFLE_WEBHOOK_SECRET.\n`,
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
