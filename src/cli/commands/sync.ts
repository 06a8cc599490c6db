/** `puffle-sync sync` — the main job: every stream (or --streams) in this process, or via BullMQ with --queue. */
import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { integer } from '../../config/kinds.ts';
import { deleteGuardOf } from '../../jobs/delete-guard.ts';
import { runSync } from '../../jobs/run-sync.ts';
import { openRuntime } from '../../jobs/runtime.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { EXIT } from '../exit-codes.ts';
import { boundedOption } from '../flags.ts';
import { createProgressDisplay } from '../progress-display.ts';
import { enqueueAndFollow } from '../queued-run.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { reportSummary } from '../summary-table.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('sync')
      .description('Sync every Puffle stream (or --streams a,b) into Postgres now, in this process')
      .option(
        '--full-refresh',
        'ignore checkpoints and incremental state; re-walk everything (still no duplicates)',
      )
      .option('--json', 'print a machine-readable summary on stdout; logs as JSON on stderr')
      .addOption(
        boundedOption('--concurrency <n>', 'partitions walked at once', integer({ min: 1, max: 64 }), 4),
      )
      .option('--queue', 'hand the run to `puffle-sync worker` processes through Redis instead')
      .option('--wait', 'with --queue: follow the run to its end'),
  ).action(async (opts, cmd: Command) => {
    if (opts.wait && !opts.queue) throw new ConfigError('--wait only applies with --queue');
    const config = configOf(cmd, { requireKey: !opts.queue });
    const streams = config.streams;
    if (opts.queue) {
      return enqueueAndFollow(
        config,
        { streams, fullRefresh: Boolean(opts.fullRefresh), acceptMassDeletes: config.acceptMassDeletes },
        {
          wait: Boolean(opts.wait),
          json: Boolean(opts.json),
          label: 'run',
          queued: (runId) => ({ text: `run ${runId} queued`, json: { runId } }),
        },
      );
    }
    const tty = Boolean(process.stderr.isTTY) && !opts.json;
    const logger = createLogger({ interactive: tty, level: config.logLevel });
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
          concurrency: opts.concurrency,
          deleteGuard: deleteGuardOf(config),
          signal: abort.signal,
          onProgress: display.listener,
        },
      );
      display.stop();
      reportSummary(summary, opts.json);
      // Stopped by Ctrl-C / SIGTERM after its current page: the next `sync` continues it.
      if (abort.signal.aborted && process.exitCode === EXIT.failure) process.exitCode = EXIT.interrupted;
    } finally {
      display.stop();
      offSignal();
      await runtime.close();
    }
  });
}
