/**
 * A simulator in its own process, so on a 2-core machine Puffle's side of the benchmark does not
 * share an event loop with the sync being measured. Prints one JSON line, then answers
 * `{ type: 'stats' }` IPC messages with the request count; exits on SIGTERM.
 */
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import type { SimulatorOptions } from '../../src/simulator/types.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await startSimulator({ logCap: 1000, ...options });
const partitions = Object.fromEntries(DEFAULT_STREAMS.map((s) => [s, sim.partitions(s)]));
const counts = Object.fromEntries(DEFAULT_STREAMS.map((s) => [s, sim.count(s)]));
process.stdout.write(
  `${JSON.stringify({ url: sim.url, key: sim.keys[0], enrichmentRunIds: sim.enrichmentRunIds, partitions, counts })}\n`,
);
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') process.send?.({ type: 'stats', requestCount: sim.requestCount });
  if (msg.type === 'reset') {
    sim.resetLog();
    process.send?.({ type: 'reset' });
  }
});
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
