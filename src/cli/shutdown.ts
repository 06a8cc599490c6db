/**
 * SIGINT/SIGTERM: the first asks the running work to stop after its current page (and lets the
 * caller close databases cleanly — PGlite must be closed to stay consistent); a second one exits
 * at once.
 */
import { EXIT } from './exit-codes.ts';

export function onShutdownSignal(
  stop: () => void,
  doing = 'finishing the current page (again to force exit)',
): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      process.stderr.write(`\npuffle-sync: ${signal} received, ${doing}\n`);
      stop();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
