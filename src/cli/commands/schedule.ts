/** `puffle-sync schedule` — create or update (or --remove) the one scheduled sync in Redis. */

import type { Command } from 'commander';
import { getSchedule, openSyncQueue, removeSchedule, upsertSchedule } from '../../jobs/queue/index.ts';
import { assertRedisReachable } from '../../jobs/redis-reachable.ts';
import { configFromOptions, withConfigOptions } from '../config-options.ts';
import { parseStreams } from './sync.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('schedule')
      .description(
        'Schedule the recurring sync run by workers (idempotent: safe to call from every replica at boot)',
      )
      .option(
        '--cron <pattern>',
        'cron pattern (5 fields, or 6 with seconds) [PUFFLE_SYNC_SCHEDULE, default "0 2 * * *"]',
      )
      .option('--tz <zone>', 'IANA time zone of the pattern', 'UTC')
      .option('--streams <list>', 'comma-separated streams (default: all)')
      .option('--remove', 'delete the schedule instead')
      .option('--json', 'print the schedule as JSON'),
  ).action(async (opts) => {
    const config = configFromOptions(opts);
    if (config.redisUrl) await assertRedisReachable(config.redisUrl);
    const sq = openSyncQueue(config);
    try {
      if (opts.remove) {
        const removed = await removeSchedule(sq.queue);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ removed })}\n`
            : `${removed ? 'schedule removed' : 'no schedule to remove'}\n`,
        );
        return;
      }
      await upsertSchedule(sq.queue, {
        cron: opts.cron ?? config.schedule,
        tz: opts.tz,
        streams: parseStreams(opts.streams),
      });
      const info = await getSchedule(sq.queue);
      if (opts.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else {
        const next = info?.next ? new Date(info.next).toISOString() : 'unknown';
        process.stdout.write(`scheduled "${info?.cron}" (${info?.tz}); next run ${next}\n`);
      }
    } finally {
      await sq.close();
    }
  });
}
