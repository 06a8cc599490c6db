/**
 * `puffle-sync backfill` — reload history as low-priority queued jobs: signals by monthly
 * `since`/`until` windows (never moving the regular sync's high-water mark; completed windows are
 * skipped when re-run, unfinished ones resume), other streams by a full re-walk.
 */

import type { Command } from 'commander';
import { monthlyWindows, parseDateFlag } from '../../jobs/queue/index.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { enqueueAndFollow } from '../queued-run.ts';
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
    const streams = parseStreams(opts.streams);
    const windows = monthlyWindows(
      parseDateFlag('--from', opts.from),
      opts.to ? parseDateFlag('--to', opts.to) : new Date(),
    );
    await enqueueAndFollow(
      config,
      { streams, windows, fullRefresh: Boolean(opts.fullRefresh), trigger: 'backfill' },
      {
        wait: Boolean(opts.wait),
        json: Boolean(opts.json),
        label: 'backfill',
        queued: (runId) => ({
          text: `backfill ${runId} queued: ${windows.length} monthly windows, streams ${streams.join(', ')}`,
          json: { runId, windows: windows.length, streams },
        }),
      },
    );
  });
}
