/**
 * Put one run on the queue for the workers (`sync --queue`, `backfill`) and, with `--wait`,
 * follow it to its end with the same progress display and summary as inline mode. Enqueuing needs
 * no API key: the workers use the key from their own environment.
 */
import { migrateWarehouse } from '../analytics/migration.ts';
import type { Config } from '../config/config.ts';
import { type EnqueueRunOptions, enqueueRun, followRun, openSyncQueue } from '../jobs/queue/index.ts';
import { assertQueueReachable } from '../jobs/queue-reachable.ts';
import { openConfiguredDatabase } from '../jobs/runtime.ts';
import { createLogger, redactSecrets } from '../log.ts';
import { EXIT } from './exit-codes.ts';
import { printJson, printOut } from './output.ts';
import { createProgressDisplay } from './progress-display.ts';
import { onShutdownSignal } from './shutdown.ts';
import { reportSummary } from './summary-table.ts';

export interface QueuedRunOptions {
  wait: boolean;
  json: boolean;
  /** `run` or `backfill`, for messages. */
  label: string;
  /** What to print when not waiting: a line for humans, an object for --json. */
  queued(runId: string): { text: string; json: Record<string, unknown> };
}

export async function enqueueAndFollow(
  config: Config,
  run: EnqueueRunOptions,
  opts: QueuedRunOptions,
): Promise<void> {
  await assertQueueReachable(config);
  const sq = openSyncQueue(config);
  let runId: string;
  try {
    runId = await enqueueRun(sq.queue, run);
  } finally {
    await sq.close();
  }
  if (!opts.wait) {
    const out = opts.queued(runId);
    if (opts.json) printJson(out.json);
    else printOut(out.text);
    return;
  }
  const tty = Boolean(process.stderr.isTTY) && !opts.json;
  const logger = createLogger({ interactive: tty, level: config.logLevel });
  const db = await openConfiguredDatabase(config, logger);
  const abort = new AbortController();
  const offSignal = onShutdownSignal(() => abort.abort(), 'stopping to follow');
  const display = createProgressDisplay({ tty, logger });
  try {
    await migrateWarehouse(db);
    const summary = await followRun(db, runId, {
      onProgress: display.listener,
      signal: abort.signal,
      onNotStarted: () =>
        process.stderr.write(
          redactSecrets(
            `puffle-sync: ${opts.label} ${runId} is queued but no worker has started it yet; is \`puffle-sync worker\` running with this queue backend (${config.queueBackend}) and PUFFLE_QUEUE_PREFIX?\n`,
          ),
        ),
    });
    display.stop();
    reportSummary(summary, opts.json);
  } catch (err) {
    if (!abort.signal.aborted) throw err;
    // Ctrl-C stops the following, not the run: the workers carry on with it.
    display.stop();
    process.stderr.write(`puffle-sync: stopped following; ${opts.label} ${runId} continues\n`);
    process.exitCode = EXIT.ok;
  } finally {
    display.stop();
    offSignal();
    await db.close();
  }
}
