/**
 * `puffle-sync backfill` — reload history as low-priority queued jobs: signals by monthly
 * `since`/`until` windows (never moving the regular sync's high-water mark; completed windows are
 * skipped when re-run, unfinished ones resume), snapshot streams that take a date
 * (campaign_account_usage) one day at a time, other streams by a full re-walk.
 */

import type { Command } from 'commander';
import { date } from '../../config/kinds.ts';
import { getStream } from '../../extract/streams.ts';
import { dailyWindows, monthlyWindows } from '../../jobs/queue/index.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { boundedOption } from '../flags.ts';
import { enqueueAndFollow } from '../queued-run.ts';
import { streamList } from '../stream-list.ts';

const DAY_MS = 86_400_000;
/** Puffle launched long after this; an earlier date is a typo (1025 for 2025), not history. */
const EARLIEST = () => new Date('2000-01-01T00:00:00Z');

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('backfill')
      .description('Queue a historical reload (needs REDIS_URL and running workers)')
      .addOption(
        boundedOption(
          '--from <date>',
          'first day to reload, e.g. 2025-01-01 (UTC)',
          date({ min: EARLIEST, max: () => new Date() }),
        ).makeOptionMandatory(),
      )
      .addOption(
        boundedOption(
          '--to <date>',
          'end of the reload, exclusive (default: now)',
          date({ min: EARLIEST, max: () => new Date(Date.now() + 31 * DAY_MS) }),
        ),
      )
      .addOption(boundedOption('--streams <list>', 'streams to reload', streamList, ['signals']))
      .option('--full-refresh', 're-walk windows already completed by an earlier backfill too')
      .option('--wait', 'follow the backfill to its end')
      .option('--json', 'print a machine-readable result on stdout'),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    const streams = opts.streams;
    const windows = monthlyWindows(opts.from, opts.to ?? new Date());
    const dated = streams.some((name: string) => getStream(name).snapshot?.param);
    const days = dated ? dailyWindows(opts.from, opts.to ?? new Date()) : undefined;
    await enqueueAndFollow(
      config,
      { streams, windows, days, fullRefresh: Boolean(opts.fullRefresh), trigger: 'backfill' },
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
