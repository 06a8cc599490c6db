/** The benchmark groups and the order they run in. */
import { budgetBenchmark } from '../benchmarks/budget.ts';
import { incrementalBenchmark } from '../benchmarks/incremental.ts';
import { loadPathBenchmark } from '../benchmarks/load-path.ts';
import { pgliteBenchmark } from '../benchmarks/pglite.ts';
import { pipelineBenchmarks } from '../benchmarks/pipeline.ts';
import type { BenchContext } from './context.ts';
import type { Figure } from './figure.ts';

export const GROUPS = {
  budget: budgetBenchmark,
  pipeline: pipelineBenchmarks,
  load: loadPathBenchmark,
  incremental: incrementalBenchmark,
  pglite: pgliteBenchmark,
} satisfies Record<string, (ctx: BenchContext) => Promise<Figure[]>>;

export type GroupName = keyof typeof GROUPS;
export const GROUP_NAMES = Object.keys(GROUPS) as GroupName[];

export async function runSuite(
  ctx: BenchContext,
  only: readonly GroupName[] = GROUP_NAMES,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of only) {
    ctx.log(`▶ ${name}`);
    const t0 = performance.now();
    figures.push(...(await GROUPS[name](ctx)));
    ctx.log(`  ${name} took ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  return figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}
