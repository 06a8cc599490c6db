/**
 * The hostile source of hostile-source.ts against queued runs processed by a `puffle-sync worker`
 * process: the same plan and checks (../hostile.ts), with the worker's PaginationErrors failing
 * partitions without retries.
 */
import { checkRestarted, playHostileSource, RUN_DEADLINE_MS } from '../hostile.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld } from '../world.ts';

export const hostileSourceQueue: Scenario = {
  name: 'hostile-source-queue',
  async run(ctx) {
    const w = await ChaosWorld.open(ctx, { label: 'qhostile', seed: ctx.seed, scale: SIZES[ctx.size].scale });
    const q = await ChaosQueue.open(w, 'hostile');
    const worker = q.startWorker();
    await playHostileSource(w, ctx.rng, async () => q.follow(await q.enqueue(), RUN_DEADLINE_MS));
    worker.child.kill('SIGTERM');
    await worker.done; // its log is in w.output once it exited
    checkRestarted(w);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['http'], { redisPrefixes: [q.prefix] });
  },
};
