/**
 * `npm run bench` — every figure of issue 7, each a ratio of things run side by side, median of
 * repetitions, printed with its goal and PASS/FAIL and written to bench/RESULTS.md (rendered from
 * bench/results.json, which keeps figures of groups a partial `--only` run did not measure).
 *
 *   npm run bench                         # full: 1,000,000 records, 100,000 for the small side
 *   npm run bench -- --records 200000 --small 20000 --reps 1 --no-write   # a quicker look
 *   npm run bench -- --only budget,incremental
 *
 * Needs Postgres (DATABASE_URL or 127.0.0.1:5432) and Redis (REDIS_URL or 127.0.0.1:6379).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext } from './lib/context.ts';
import { formatLine, verdict } from './lib/figure.ts';
import { describeMachine } from './lib/machine.ts';
import { saveResults } from './lib/results.ts';
import { GROUP_NAMES, type GroupName, runSuite } from './lib/suite.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    small: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '3' },
    'big-reps': { type: 'string', default: '1' },
    'per-minute': { type: 'string', default: '600' },
    'budget-scale': { type: 'string', default: '1600' },
    'incremental-scale': { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '6' },
    only: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./RESULTS.md', import.meta.url)) },
    json: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
    'no-write': { type: 'boolean', default: false },
  },
});

const only = (values.only?.split(',') ?? GROUP_NAMES) as GroupName[];
for (const g of only)
  if (!GROUP_NAMES.includes(g)) throw new Error(`unknown group ${g}; one of ${GROUP_NAMES.join(', ')}`);

const ctx: BenchContext = {
  records: Number(values.records),
  smallRecords: Number(values.small),
  reps: Number(values.reps),
  bigReps: Number(values['big-reps']),
  perMinute: Number(values['per-minute']),
  budgetScale: Number(values['budget-scale']),
  minRequests: 300,
  incrementalScale: Number(values['incremental-scale']),
  concurrency: Number(values.concurrency),
  seed: 1,
  log: (line) => process.stderr.write(`${line}\n`),
};

const machine = describeMachine();
const started = Date.now();
const figures = await runSuite(ctx, only);
const minutes = (Date.now() - started) / 60_000;
process.stdout.write(`\n${figures.map(formatLine).join('\n')}\n`);
const failed = figures.filter((f) => verdict(f) === 'FAIL').length;
process.stdout.write(
  `\n${figures.length - failed} of ${figures.length} figures pass or have no goal; ${minutes.toFixed(1)} min\n`,
);
if (!values['no-write']) {
  const { log: _log, ...settings } = ctx;
  saveResults(
    values.json,
    values.out,
    { machine, ctx: settings, groups: only, minutes, argv: process.argv.slice(2) },
    figures,
  );
  process.stdout.write(
    `written to ${values.out} (figures not measured in this run are kept from earlier runs)\n`,
  );
}
