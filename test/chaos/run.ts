/**
 * `npm run chaos [-- --size small|full] [--seed N] [--only a,b] [--backend redis|postgres] [--no-faults]`: every scenario
 * against a fresh simulator and database, one results row each; exits 1 on any mismatch.
 * `--no-faults` injects nothing: every scenario must then fail with "no … fault landed".
 */
import { parseArgs } from 'node:util';
import { killLiveClis } from '../helpers/cli.ts';
import { runScenarios } from './runner.ts';
import { formatResults, resultOf } from './table.ts';
import type { ChaosSize } from './types.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    seed: { type: 'string', default: '20261128' },
    only: { type: 'string' },
    parallel: { type: 'string', default: '2' },
    // Where queued scenarios keep the queue; postgres leaves out the Redis-only scenarios.
    backend: { type: 'string', default: 'redis' },
    // Proves the harness: nothing is injected, so every scenario must report a mismatch.
    'no-faults': { type: 'boolean', default: false },
  },
});
if (values.size !== 'small' && values.size !== 'full') {
  process.stderr.write(`chaos: --size must be small or full, got ${values.size}\n`);
  process.exit(2);
}
if (values.backend !== 'redis' && values.backend !== 'postgres') {
  process.stderr.write(`chaos: --backend must be redis or postgres, got ${values.backend}\n`);
  process.exit(2);
}
// Stopped before the scenarios end (Ctrl-C, kill): the sync and worker processes they started
// would otherwise go on running against their test databases and queues.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    killLiveClis();
    process.stderr.write(`chaos: ${signal}: stopped the scenarios' processes\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
const outcomes = await runScenarios({
  queueBackend: values.backend,
  size: values.size as ChaosSize,
  seed: Number(values.seed),
  only: values.only?.split(',').map((s) => s.trim()),
  parallel: Number(values.parallel),
  faults: !values['no-faults'],
  note: (m) => process.stderr.write(`chaos: ${m}\n`),
});
process.stdout.write(`${formatResults(outcomes)}\n`);
process.exit(outcomes.every((o) => resultOf(o) === 'exact') ? 0 : 1);
