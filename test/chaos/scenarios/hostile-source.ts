/**
 * A hostile source (issue 11), inline and against queued runs processed by a `worker` process:
 * contradictory pages, an endless cursor, then the expired cursor it left behind. Every hostile
 * run ends by itself, hides no live row, and the next calm run makes every table exact. The plan
 * and its checks are in ../hostile.ts; queued, PaginationErrors fail partitions without retries.
 */
import { bothDrivers, openDriver } from '../driver.ts';
import { checkRestarted, playHostileSource, RUN_DEADLINE_MS } from '../hostile.ts';
import { SIZES } from '../sizes.ts';
import { ChaosWorld } from '../world.ts';

export const hostileSource = bothDrivers('hostile-source', async (ctx, kind, name) => {
  const w = await ChaosWorld.open(ctx, {
    label: `hostile${kind}`,
    seed: ctx.seed,
    scale: SIZES[ctx.size].scale,
  });
  const d = await openDriver(w, kind, 'hostile');
  // A run still going at the deadline is one that did not end by itself.
  await playHostileSource(w, ctx.rng, () => d.runToEnd({ timeoutMs: RUN_DEADLINE_MS }));
  checkRestarted(w);
  w.problems.push(...(await w.diff()));
  return w.outcome(name, ['http'], { redisPrefixes: d.redisPrefixes });
});
