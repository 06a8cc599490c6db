/**
 * Redis connections cut mid-run: `CLIENT KILL` of the connections the sync process holds (found
 * by its local ports — other users of the shared Redis are untouched; the server is never
 * restarted) while `puffle-sync sync` paces its requests through the Redis budget. The process
 * must not crash; the following run must be exact.
 */
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../helpers/services.ts';
import { crashed } from '../crash.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const redisKill: Scenario = {
  name: 'redis-kill',
  redisOnly: true,
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'rediskill', seed: ctx.seed, scale: size.scale });
    const admin = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const env = { REDIS_URL: testRedisUrl() };
    try {
      w.sim.setLatency(size.latencyMs);
      const rounds = ctx.size === 'small' ? 1 : 3;
      // A round whose process finished before any cut landed does not count.
      for (let round = 0, tries = 0; round < rounds && tries < rounds + 4; tries += 1) {
        const before = w.restarts;
        const { child, done } = w.start(['sync', '--json'], env);
        let exited = false;
        void done.then(() => (exited = true));
        for (let cut = 0; cut < 4 && !exited; cut += 1) {
          await waitForRequests(w.sim, ctx.rng.int(3, 12), () => exited);
          await sleep(ctx.rng.int(0, 20));
          if (!exited) await w.cutRedis(admin, child.pid);
        }
        const res = await done;
        ctx.note(`round ${round + 1}: exit ${res.code}, ${w.restarts - before} cut(s)`);
        w.check(
          !crashed(res.stderr),
          `process crashed instead of failing the run: ${res.stderr.slice(-300)}`,
        );
        if (res.code === 0) w.newChain();
        if (w.restarts > before) round += 1;
      }
      w.sim.setLatency(0);
      const final = await w.syncInProcess({ env });
      w.check(
        final.status === 'succeeded',
        `run after the cuts: ${final.status} ${final.error?.message ?? ''}`,
      );
      w.problems.push(...(await w.diff()));
    } finally {
      admin.disconnect();
    }
    return w.outcome(this.name, ['redis-cut']);
  },
};
