/** `puffle-sync schedule` — create or update (or --remove) the one scheduled sync in Redis. */

import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { timeZone } from '../../config/kinds.ts';
import { getSchedule, openSyncQueue, removeSchedule, upsertSchedule } from '../../jobs/queue/index.ts';
import { assertQueueReachable } from '../../jobs/queue-reachable.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { boundedOption } from '../flags.ts';
import { printJson, printOut } from '../output.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('schedule')
      .description(
        'Schedule the recurring sync run by workers (idempotent: safe to call from every replica at boot)',
      )
      .addOption(boundedOption('--tz <zone>', 'IANA time zone of the pattern', timeZone(), 'UTC'))
      .option('--remove', 'delete the schedule instead')
      .option('--json', 'print the schedule as JSON'),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    if (opts.remove && (opts.cron !== undefined || opts.streams !== undefined))
      throw new ConfigError('--remove takes no --cron or --streams');
    await assertQueueReachable(config);
    const sq = openSyncQueue(config);
    try {
      if (opts.remove) {
        const removed = await removeSchedule(sq.queue);
        if (opts.json) printJson({ removed });
        else printOut(removed ? 'schedule removed' : 'no schedule to remove');
        return;
      }
      await upsertSchedule(sq.queue, {
        cron: config.schedule,
        tz: opts.tz,
        streams: config.streams,
      });
      const info = await getSchedule(sq.queue);
      if (opts.json) printJson(info);
      else {
        const next = info?.next ? new Date(info.next).toISOString() : 'unknown';
        printOut(`scheduled "${info?.cron}" (${info?.tz}); next run ${next}`);
      }
    } finally {
      await sq.close();
    }
  });
}
