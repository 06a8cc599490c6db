/**
 * `puffle-sync sync --queue [--wait]`: put one run on the queue for the workers and, with
 * `--wait`, follow it to its end with the same progress display and summary as inline mode.
 * Enqueuing needs no API key: the workers use the key from their own environment.
 */

import type { Config } from '../config/config.ts';
import type { StreamName } from '../extract/streams.ts';
import { enqueueRun, followRun, openSyncQueue } from '../jobs/queue/index.ts';
import { assertRedisReachable } from '../jobs/redis-reachable.ts';
import { migrate, openDatabase } from '../load/index.ts';
import { createLogger } from '../log.ts';
import { EXIT } from './exit-codes.ts';
import { createProgressDisplay } from './progress-display.ts';
import { onShutdownSignal } from './shutdown.ts';
import { formatSummary } from './summary-table.ts';

export async function queuedSync(
  config: Config,
  opts: { streams: StreamName[]; fullRefresh: boolean; wait: boolean; json: boolean },
): Promise<void> {
  if (config.redisUrl) await assertRedisReachable(config.redisUrl);
  const sq = openSyncQueue(config);
  let runId: string;
  try {
    runId = await enqueueRun(sq.queue, { streams: opts.streams, fullRefresh: opts.fullRefresh });
  } finally {
    await sq.close();
  }
  if (!opts.wait) {
    process.stdout.write(opts.json ? `${JSON.stringify({ runId })}\n` : `run ${runId} queued\n`);
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
    abort.abort(new Error(`stopped following run ${runId}; the workers go on`)),
  );
  const display = createProgressDisplay({ tty, logger });
  try {
    await migrate(db);
    const summary = await followRun(db, runId, {
      onProgress: display.listener,
      signal: abort.signal,
      onNotStarted: () =>
        process.stderr.write(
          `puffle-sync: run ${runId} is queued but no worker has started it yet; is \`puffle-sync worker\` running with this REDIS_URL and PUFFLE_QUEUE_PREFIX?\n`,
        ),
    });
    display.stop();
    process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
    if (summary.error?.name === 'AuthRejectedError') process.exitCode = EXIT.authRejected;
    else process.exitCode = summary.status === 'succeeded' ? EXIT.ok : EXIT.failure;
  } finally {
    display.stop();
    offSignal();
    await db.close();
  }
}
