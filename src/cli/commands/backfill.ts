/**
 * `puffle-sync backfill` — reload history as low-priority queued jobs: signals by monthly
 * `since`/`until` windows (never moving the regular sync's high-water mark; completed windows are
 * skipped when re-run, unfinished ones resume), other streams by a full re-walk.
 */

import type { Command } from 'commander';
import {
  enqueueRun,
  followRun,
  monthlyWindows,
  openSyncQueue,
  parseDateFlag,
} from '../../jobs/queue/index.ts';
import { assertRedisReachable } from '../../jobs/redis-reachable.ts';
import { migrate, openDatabase } from '../../load/index.ts';
import { createLogger } from '../../log.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { EXIT } from '../exit-codes.ts';
import { createProgressDisplay } from '../progress-display.ts';
import { onShutdownSignal } from '../shutdown.ts';
import { formatSummary } from '../summary-table.ts';
import { parseStreams } from './sync.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('backfill')
      .description('Queue a historical reload (needs REDIS_URL and running workers)')
      .requiredOption('--from <date>', 'first day to reload, e.g. 2025-01-01 (UTC)')
      .option('--to <date>', 'end of the reload, exclusive (default: now)')
      .option('--streams <list>', 'comma-separated streams', 'signals')
      .option('--full-refresh', 're-walk windows already completed by an earlier backfill too')
      .option('--wait', 'follow the backfill to its end')
      .option('--json', 'print a machine-readable result on stdout'),
  ).action(async (opts) => {
    const config = configFromOptions(opts);
    if (config.redisUrl) await assertRedisReachable(config.redisUrl);
    const streams = parseStreams(opts.streams);
    const windows = monthlyWindows(
      parseDateFlag('--from', opts.from),
      opts.to ? parseDateFlag('--to', opts.to) : new Date(),
    );
    const sq = openSyncQueue(config);
    let runId: string;
    try {
      runId = await enqueueRun(sq.queue, {
        streams,
        windows,
        fullRefresh: Boolean(opts.fullRefresh),
        trigger: 'backfill',
      });
    } finally {
      await sq.close();
    }
    if (!opts.wait) {
      const out = { runId, windows: windows.length, streams };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(out)}\n`
          : `backfill ${runId} queued: ${windows.length} monthly windows, streams ${streams.join(', ')}\n`,
      );
      return;
    }
    const tty = Boolean(process.stderr.isTTY) && !opts.json;
    const logger = createLogger({ level: tty ? 'warn' : undefined });
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      schema: config.schema,
      logger,
    });
    const abort = new AbortController();
    const offSignal = onShutdownSignal(() =>
      abort.abort(new Error('stopped following; the backfill goes on in the workers')),
    );
    const display = createProgressDisplay({ tty, logger });
    try {
      await migrate(db);
      const summary = await followRun(db, runId, {
        onProgress: display.listener,
        signal: abort.signal,
        onNotStarted: () =>
          process.stderr.write(`puffle-sync: backfill ${runId} is queued but no worker has started it yet\n`),
      });
      display.stop();
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
      process.exitCode = summary.status === 'succeeded' ? EXIT.ok : EXIT.failure;
    } finally {
      display.stop();
      offSignal();
      await db.close();
    }
  });
}
