/** `puffle-sync sync` — the main job: every stream (or --streams) in this process, or via BullMQ with --queue. */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { STREAM_NAMES, type StreamName } from '../../extract/streams.ts';
import { runSync } from '../../jobs/run-sync.ts';
import { openRuntime } from '../../jobs/runtime.ts';
import { createLogger } from '../../log.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { createProgressDisplay } from '../progress-display.ts';
import { enqueueAndFollow } from '../queued-run.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { reportSummary } from '../summary-table.ts';

export function parseStreams(value: string | undefined): StreamName[] {
  if (!value) return [...STREAM_NAMES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !STREAM_NAMES.includes(n as StreamName));
  if (unknown.length > 0)
    throw new ConfigError(
      `--streams: unknown stream ${unknown.join(', ')} (known: ${STREAM_NAMES.join(', ')})`,
    );
  return names as StreamName[];
}

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('sync')
      .description('Sync every Puffle stream (or --streams a,b) into Postgres now, in this process')
      .option('--streams <list>', `comma-separated streams (default: all ${STREAM_NAMES.length})`)
      .option(
        '--full-refresh',
        'ignore checkpoints and incremental state; re-walk everything (still no duplicates)',
      )
      .option('--json', 'print a machine-readable summary on stdout; logs as JSON on stderr')
      .option('--concurrency <n>', 'partitions walked at once', '4')
      .option('--queue', 'hand the run to `puffle-sync worker` processes through Redis instead')
      .option('--wait', 'with --queue: follow the run to its end'),
  ).action(async (opts) => {
    const config = configFromOptions(opts, { requireKey: !opts.queue });
    const streams = parseStreams(opts.streams);
    if (opts.queue) {
      return enqueueAndFollow(
        config,
        { streams, fullRefresh: Boolean(opts.fullRefresh) },
        {
          wait: Boolean(opts.wait),
          json: Boolean(opts.json),
          label: 'run',
          queued: (runId) => ({ text: `run ${runId} queued`, json: { runId } }),
        },
      );
    }
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new ConfigError('--concurrency must be a whole number ≥ 1');
    const tty = Boolean(process.stderr.isTTY) && !opts.json;
    const logger = createLogger({ interactive: tty });
    const runtime = await openRuntime(config, logger, { apiKey: config.apiKey! });
    const abort = new AbortController();
    const offSignal = onShutdownSignal(() => abort.abort(new Error('interrupted')));
    const display = createProgressDisplay({ tty, logger });
    try {
      const summary = await runSync(
        { db: runtime.db, client: runtime.client, locks: runtime.locks, logger },
        {
          streams,
          fullRefresh: Boolean(opts.fullRefresh),
          enrichmentRunIds: config.enrichmentRunIds,
          lookbackMs: config.signalsLookbackMs,
          concurrency,
          signal: abort.signal,
          onProgress: display.listener,
        },
      );
      display.stop();
      reportSummary(summary, opts.json);
    } finally {
      display.stop();
      offSignal();
      await runtime.close();
    }
  });
}
