/** `puffle-sync status` — freshness and health per stream, from Postgres (and the queue backend when configured). */

import type { Command } from 'commander';
import { ConfigError } from '../../config/config-error.ts';
import { openSyncQueue } from '../../jobs/queue/index.ts';
import { assertQueueReachable } from '../../jobs/queue-reachable.ts';
import { openConfiguredDatabase } from '../../jobs/runtime.ts';
import { collectStatus, formatStatus } from '../../jobs/status/index.ts';
import { sqlStateOf } from '../../load/index.ts';
import { createLogger } from '../../log.ts';
import { configOf, withConfigOptions } from '../config-options.ts';
import { printJson, printOut } from '../output.ts';

export function register(program: Command): void {
  withConfigOptions(
    program
      .command('status')
      .description(
        'Per stream: health against its freshness target, last success, rows, deleted, held and rejected records, last error, queued jobs, 429 wait',
      )
      .option('--json', "print the report as JSON (the same as the dashboard's /api/status)"),
  ).action(async (opts, cmd: Command) => {
    const config = configOf(cmd);
    await assertQueueReachable(config);
    const logger = createLogger({ level: config.logLevel ?? 'warn' });
    const db = await openConfiguredDatabase(config, logger);
    const sq = config.queueBackend ? openSyncQueue(config) : undefined;
    try {
      // No migrate: status only reads, so a role with SELECT rights is enough.
      const report = await collectStatus(db, {
        queue: sq?.queue,
        freshness: config.freshnessTargets,
        streams: config.streams,
      }).catch((err: unknown) => {
        throw readError(err, config.schema);
      });
      if (opts.json) printJson(report);
      else printOut(formatStatus(report));
    } finally {
      await sq?.close();
      await db.close();
    }
  });
}

/** What a read-only `status` can run into, as one line saying what to do. */
function readError(err: unknown, schema: string): unknown {
  const code = sqlStateOf(err);
  if (code === '42P01' || code === '3F000')
    return new ConfigError(
      `schema "${schema}" has no puffle-sync tables yet: run \`puffle-sync migrate\` or a sync first`,
      { cause: err },
    );
  if (code === '42501')
    return new ConfigError(
      `this database role cannot read schema "${schema}": grant it USAGE and SELECT (docs/running-in-production.md, "Database roles")`,
      { cause: err },
    );
  return err;
}
