/**
 * Live progress for long commands: one cli-progress bar per stream on a TTY (partitions done /
 * total, records, pages, state); on a pipe or with --json, one pino line per finished stream.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../jobs/progress.ts';
import type { Logger } from '../log.ts';

export interface ProgressDisplay {
  listener: ProgressListener;
  stop(): void;
}

export function createProgressDisplay(opts: { tty: boolean; logger: Logger }): ProgressDisplay {
  if (!opts.tty) return logDisplay(opts.logger);
  const multi = new cliProgress.MultiBar(
    {
      format: ' {stream} {bar} {value}/{total} parts | {records} records | {pages} pages | {state}',
      barsize: 20,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      forceRedraw: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const bar = (stream: string, total = 1) => {
    let b = bars.get(stream);
    if (!b) {
      b = multi.create(total, 0, { stream: stream.padEnd(24), records: 0, pages: 0, state: 'waiting' });
      bars.set(stream, b);
    }
    return b;
  };
  const listener = (e: ProgressEvent) => {
    switch (e.type) {
      case 'stream-start':
        bar(e.stream, Math.max(1, e.partitions)).setTotal(Math.max(1, e.partitions));
        bar(e.stream).update(0, { state: 'syncing' });
        break;
      case 'page':
        bar(e.stream).update(e.partitionsDone ?? bar(e.stream).getProgress() * bar(e.stream).getTotal(), {
          records: e.records,
          pages: e.pages,
        });
        break;
      case 'rate-limit-wait':
        bar(e.stream).update({ state: `waiting ${Math.ceil(e.waitMs / 1000)}s on rate limit` });
        break;
      case 'stream-end': {
        const b = bar(e.stream);
        b.update(b.getTotal(), {
          state: e.status === 'succeeded' ? 'done' : `${e.status}: ${e.error ?? ''}`.slice(0, 60),
        });
        break;
      }
    }
  };
  let stopped = false;
  return {
    listener,
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}

function logDisplay(logger: Logger): ProgressDisplay {
  return {
    listener: (e) => {
      if (e.type === 'stream-end')
        logger.info({ stream: e.stream, status: e.status, error: e.error }, 'stream finished');
      else if (e.type === 'stream-start')
        logger.info({ stream: e.stream, partitions: e.partitions }, 'stream started');
      else if (e.type === 'rate-limit-wait')
        logger.info({ stream: e.stream, waitMs: e.waitMs }, 'waiting on rate limit');
    },
    stop: () => {},
  };
}
