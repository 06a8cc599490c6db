/**
 * `puffle-sync demo` — zero setup: starts the simulator on a free port, syncs it into an embedded
 * PGlite database with live progress, prints a summary and example queries (with their answers).
 * Needs no key, no Redis and no Postgres; its data lives apart from a real sync's.
 */
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { analyticsSchema } from '../../analytics/views.ts';
import { loadConfig } from '../../config/config.ts';
import { integer, path, url } from '../../config/kinds.ts';
import { DEFAULT_STREAMS } from '../../extract/streams.ts';
import { runSync } from '../../jobs/run-sync.ts';
import { openRuntime } from '../../jobs/runtime.ts';
import { createLogger } from '../../log.ts';
import { startSimulator } from '../../simulator/index.ts';
import { DEMO_QUERIES } from '../demo-queries.ts';
import { demoWebhookArrival } from '../demo-webhook.ts';
import { EXIT } from '../exit-codes.ts';
import { boundedOption } from '../flags.ts';
import { printJson, printOut } from '../output.ts';
import { createProgressDisplay } from '../progress-display.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { formatSummary } from '../summary-table.ts';

export const DEMO_DATA_DIR = './.puffle-sync-demo';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Sync a simulated Puffle account into an embedded database and show what you get (no key needed)',
    )
    .addOption(
      boundedOption(
        '--scale <n>',
        'simulated account size (number of leads)',
        integer({ min: 10, max: 1_000_000 }),
        2000,
      ),
    )
    .addOption(boundedOption('--seed <n>', 'simulated data seed', integer({ min: 0, max: 2_147_483_647 }), 1))
    .addOption(boundedOption('--data-dir <dir>', 'where the demo database lives', path(), DEMO_DATA_DIR))
    .addOption(
      boundedOption(
        '--database-url <url>',
        'sync into this Postgres instead of the embedded database',
        url(['postgres:', 'postgresql:']),
      ),
    )
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (opts) => {
      const scale: number = opts.scale;
      const perMinute = 6000;
      // Validated before the simulator starts, so a bad setting leaves nothing running.
      const settings = loadConfig({
        PUFFLE_SYNC_DATA_DIR: opts.dataDir,
        DATABASE_URL: opts.databaseUrl,
        PUFFLE_RATE_LIMIT_PER_MIN: String(perMinute),
        PUFFLE_SYNC_SCHEMA: process.env.PUFFLE_SYNC_SCHEMA,
        LOG_LEVEL: process.env.LOG_LEVEL,
      });
      // A few injected 429s show the rate-limit handling at work without slowing the demo down.
      const sim = await startSimulator({
        scale,
        seed: opts.seed,
        rateLimit: { limit: perMinute, windowMs: 60_000 },
        retryAfter: 'mixed',
        faults: [
          { kind: '429', path: '/api/campaigns/', nth: [3, 40] },
          { kind: '429', path: '/api/leads', nth: [2] },
        ],
      });
      const config = { ...settings, baseUrl: sim.url, enrichmentRunIds: [...sim.enrichmentRunIds] };
      const tty = Boolean(process.stderr.isTTY) && !opts.json;
      const logger = createLogger({ interactive: tty });
      const abort = new AbortController();
      const offSignal = onShutdownSignal(() => abort.abort(new Error('interrupted')));
      const display = createProgressDisplay({ tty, logger });
      let runtime: Awaited<ReturnType<typeof openRuntime>> | undefined;
      try {
        process.stderr.write(
          `puffle-sync demo: simulated Puffle at ${sim.url} (${scale} leads), syncing into ${config.databaseUrl ? 'Postgres' : config.dataDir}\n`,
        );
        runtime = await openRuntime(config, logger, { apiKey: sim.keys[0]! });
        const summary = await runSync(
          { db: runtime.db, client: runtime.client, locks: runtime.locks, logger },
          {
            streams: DEFAULT_STREAMS,
            trigger: 'demo',
            enrichmentRunIds: config.enrichmentRunIds,
            lookbackMs: config.signalsLookbackMs,
            concurrency: 8,
            signal: abort.signal,
            onProgress: display.listener,
          },
        );
        display.stop();
        const webhook =
          summary.status === 'succeeded'
            ? await demoWebhookArrival(sim, runtime, { logger, lookbackMs: config.signalsLookbackMs })
            : undefined;
        if (opts.json) {
          printJson({ ...summary, requests: sim.requestCount, webhook });
        } else {
          const survived = summary.streams.reduce((n, s) => n + s.rateLimited, 0);
          printOut(formatSummary(summary));
          process.stdout.write(
            `${sim.requestCount} requests to the simulator, ${survived} rate-limit responses (429) survived\n\n`,
          );
          const views = analyticsSchema(config.schema);
          process.stdout.write(`Try these next (clean views in "${views}"):\n\n`);
          for (const q of DEMO_QUERIES) {
            const text = q.sql.replaceAll('puffle_analytics.', `${views}.`);
            process.stdout.write(`-- ${q.title}\n${text}\n`);
            const rows = await runtime.db.query(sql.raw(text));
            process.stdout.write(`${formatRows(rows)}\n\n`);
          }
          if (webhook)
            process.stdout.write(
              `Near-real-time: a new signal ("${webhook.headline}") reached ${config.schema}.signals through its signed webhook ${webhook.deliveryToRowSeconds.toFixed(2)} s after the delivery, with no sync run (puffle-sync webhooks).\n\n`,
            );
          process.stdout.write(
            config.databaseUrl
              ? `The data is in your Postgres: point BI tools at the schema "${views}".\n`
              : `The data is in ${config.dataDir} (embedded PGlite). Open it with psql, Metabase, DBeaver or dbt: npx puffle-sync sql --data-dir ${config.dataDir}\n`,
          );
          process.stdout.write(
            `See this run on the status page: npx puffle-sync dashboard ${config.databaseUrl ? '(with the same DATABASE_URL)' : `--data-dir ${config.dataDir}`}, then open http://127.0.0.1:3000/\n`,
          );
        }
        process.exitCode = summary.status === 'succeeded' ? EXIT.ok : EXIT.failure;
      } finally {
        display.stop();
        offSignal();
        await runtime?.close();
        await sim.close();
      }
    });
}

function formatRows(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) =>
    v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? '' : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  return [
    line(cols),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join('\n');
}
