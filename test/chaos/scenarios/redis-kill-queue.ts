/**
 * Redis connections of `puffle-sync worker` processes cut mid-run (CLIENT KILL by their local
 * ports; the shared server keeps running): BullMQ and the shared budget reconnect, jobs whose lock
 * lapsed are recovered as stalled, and the queued run ends `succeeded` and exact.
 */
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../helpers/services.ts';
import { crashed } from '../crash.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const redisKillQueue: Scenario = {
  name: 'redis-kill-queue',
  redisOnly: true,
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'qrediskill', seed: ctx.seed, scale: size.scale });
    const q = await ChaosQueue.open(w, 'rediskill');
    const admin = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    try {
      w.sim.setLatency(size.latencyMs);
      const workers = [q.startWorker(), q.startWorker()];
      const runId = await q.enqueue();
      const cuts = ctx.size === 'small' ? 3 : 8;
      let finished = false;
      const poll = setInterval(() => void q.isFinished(runId).then((f) => (finished ||= f)), 250);
      for (let cut = 0; cut < cuts && !finished; cut += 1) {
        await waitForRequests(w.sim, cut === 0 ? 1 : ctx.rng.int(3, 15), () => finished);
        await sleep(ctx.rng.int(0, 20));
        const worker = ctx.rng.pick(workers);
        if (!finished) await w.cutRedis(admin, worker.child.pid);
      }
      clearInterval(poll);
      w.sim.setLatency(0);
      const summary = await q.follow(runId, 120_000);
      w.check(
        summary?.status === 'succeeded',
        `queued run ended ${summary?.status ?? 'never'}: ${summary?.error?.message ?? ''}`,
      );
      for (const worker of workers) worker.child.kill('SIGTERM');
      const results = await Promise.all(workers.map((x) => x.done));
      for (const r of results) w.check(!crashed(r.stderr), `a worker crashed: ${r.stderr.slice(-300)}`);
      w.problems.push(...(await w.diff()));
    } finally {
      admin.disconnect();
    }
    return w.outcome(this.name, ['redis-cut'], { redisPrefixes: [q.prefix] });
  },
};
