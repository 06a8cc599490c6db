/**
 * bench/results.json keeps every figure with when and where it was measured, so a partial run
 * (`--only …`) updates its figures and keeps the others; bench/RESULTS.md is rendered from it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchContext } from './context.ts';
import { type Figure, markdownTable } from './figure.ts';
import type { Machine } from './machine.ts';

export interface StoredFigure extends Figure {
  measuredAt: string;
  commit: string;
  args: string;
}

export interface Run {
  machine: Machine;
  ctx: Omit<BenchContext, 'log'>;
  groups: string[];
  minutes: number;
  argv: string[];
}

interface Stored {
  runs: Run[];
  figures: StoredFigure[];
}

export function saveResults(jsonPath: string, mdPath: string, run: Run, figures: readonly Figure[]): void {
  const stored: Stored = existsSync(jsonPath)
    ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Stored)
    : { runs: [], figures: [] };
  const args = run.argv.join(' ') || '(defaults)';
  const fresh = figures.map((f) => ({
    ...f,
    measuredAt: run.machine.date,
    commit: run.machine.commit,
    args,
  }));
  const ids = new Set(fresh.map((f) => f.id));
  stored.figures = [...stored.figures.filter((f) => !ids.has(f.id)), ...fresh].sort((a, b) =>
    a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
  stored.runs = [...stored.runs, run].slice(-10);
  writeFileSync(jsonPath, `${JSON.stringify(stored, null, 2)}\n`);
  writeFileSync(mdPath, resultsMarkdown(stored));
}

function resultsMarkdown(stored: Stored): string {
  const used = new Set(stored.figures.map((f) => f.measuredAt));
  const runs = stored.runs.filter((r) => used.has(r.machine.date));
  const runLines = runs.map((r) => {
    const m = r.machine;
    return `- ${m.date} — commit ${m.commit}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB memory, Node ${m.node}; load average at start ${m.loadAverage}; groups ${r.groups.join(', ')}; args \`${r.argv.join(' ') || '(defaults)'}\` (records ${r.ctx.records}, small ${r.ctx.smallRecords}, reps ${r.ctx.reps}, big reps ${r.ctx.bigReps}, concurrency ${r.ctx.concurrency}, budget ${r.ctx.perMinute}/min); ${r.minutes.toFixed(1)} min`;
  });
  return `# Benchmark results (\`npm run bench\`)

Every value is a ratio of things measured side by side in the same invocation (median of the
repetitions); absolute times on a shared machine are noise. Postgres, Redis and the CPUs were
shared with whatever else ran at the time. Figures come from these runs (column "measured"):

${runLines.join('\n')}

${markdownTable(stored.figures.map((f) => ({ ...f, detail: `${f.detail} (measured ${f.measuredAt}, commit ${f.commit})` })))}
`;
}
