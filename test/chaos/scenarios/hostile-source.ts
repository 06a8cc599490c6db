/**
 * A hostile source against the inline runner (issue 11): contradictory pages, an endless cursor,
 * then the expired cursor it left behind. Every hostile run ends by itself, hides no live row,
 * and the next calm run makes every table exact. The plan is in ../hostile.ts.
 */
import { checkRestarted, playHostileSource, RUN_DEADLINE_MS } from '../hostile.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld } from '../world.ts';

export const hostileSource: Scenario = {
  name: 'hostile-source',
  async run(ctx) {
    const w = await ChaosWorld.open(ctx, { label: 'hostile', seed: ctx.seed, scale: SIZES[ctx.size].scale });
    await playHostileSource(w, ctx.rng, async () => {
      // A run still going at the deadline is stopped and reported as one that did not end by itself.
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(new Error('did not end by itself')), RUN_DEADLINE_MS);
      try {
        const summary = await w.syncInProcess({ run: { signal: stop.signal } });
        return stop.signal.aborted ? undefined : summary;
      } finally {
        clearTimeout(timer);
      }
    });
    checkRestarted(w);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['http']);
  },
};
