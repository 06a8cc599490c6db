/** `puffle-sync status` — freshness and health per stream, from Postgres (and Redis when configured). */

import type { Command } from 'commander';
import { collectStatus, formatStatus, openSyncQueue } from '../../jobs/queue/index.ts';
import { assertRedisReachable } from '../../jobs/redis-reachable.ts';
import { openConfiguredDatabase } from '../../jobs/runtime.ts';
import { migrate } from '../../load/index.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { printJson, printOut } from '../output.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('status')
      .description(
        'Per stream: last successful run, age, rows, deleted rows, last error, queued jobs, rate-limit wait',
      )
      .option('--json', 'print the report as JSON'),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    if (config.redisUrl) await assertRedisReachable(config.redisUrl);
    const logger = createLogger({ level: 'warn' });
    const db = await openConfiguredDatabase(config, logger);
    const sq = config.redisUrl ? openSyncQueue(config) : undefined;
    try {
      await migrate(db);
      const report = await collectStatus(db, sq?.queue);
      if (opts.json) printJson(report);
      else printOut(formatStatus(report));
    } finally {
      await sq?.close();
      await db.close();
    }
  });
}
