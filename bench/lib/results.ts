import type { BenchContext } from './context.ts';
import { type Figure, markdownTable } from './figure.ts';
import type { Machine } from './machine.ts';

export function resultsMarkdown(r: {
  machine: Machine;
  ctx: BenchContext;
  figures: Figure[];
  minutes: number;
  argv: string[];
}): string {
  const m = r.machine;
  return `# Benchmark results (latest run of \`npm run bench\`)

- date: ${m.date}
- commit: ${m.commit}
- machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB memory, Node ${m.node}; load average at start ${m.loadAverage}
- arguments: \`${r.argv.join(' ') || '(defaults)'}\`; records ${r.ctx.records}, small ${r.ctx.smallRecords}, reps ${r.ctx.reps} (big measurements ${r.ctx.bigReps}), concurrency ${r.ctx.concurrency}, budget ${r.ctx.perMinute}/min
- duration: ${r.minutes.toFixed(1)} min

Every value is a ratio of things measured side by side in this same invocation (median of the
repetitions); absolute times on a shared machine are noise. Postgres and Redis are shared with
whatever else ran at the time.

${markdownTable(r.figures)}
`;
}
