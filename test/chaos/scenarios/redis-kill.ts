/**
 * Redis connections cut mid-run: `CLIENT KILL` of the connections the sync's processes hold (found
 * by their local ports — other users of the shared Redis are untouched; the server is never
 * restarted): inline while `puffle-sync sync` paces its requests through the Redis budget, queued
 * while two workers run a queued run (BullMQ and the budget reconnect, jobs whose lock lapsed are
 * recovered as stalled). No process may crash; the run after the cuts must succeed, exact.
 */
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../helpers/services.ts';
import { crashEvidence } from '../crash.ts';
import { bothDrivers, openDriver } from '../driver.ts';
import { SIZES } from '../sizes.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const redisKill = bothDrivers(
  'redis-kill',
  async (ctx, kind, name) => {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: `rediskill${kind}`, seed: ctx.seed, scale: size.scale });
    const d = await openDriver(w, kind, 'rediskill');
    const admin = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    ctx.track(async () => admin.disconnect());
    // The inline budget is on Redis only when REDIS_URL is set (workers get it from the queue).
    const env = kind === 'inline' ? { REDIS_URL: testRedisUrl() } : undefined;
    w.sim.setLatency(size.latencyMs);
    // Inline: runs of a few cuts each, counted only when a cut landed; queued: one run, more cuts.
    const rounds = kind === 'queue' || ctx.size === 'small' ? 1 : 3;
    const cutsPerRound = kind === 'inline' ? 4 : ctx.size === 'small' ? 3 : 8;
    let summary: Awaited<ReturnType<typeof d.runToEnd>>;
    for (let round = 0, tries = 0; round < rounds && tries < rounds + 4; tries += 1) {
      const before = w.restarts;
      const run = d.start({ env });
      for (let cut = 0; cut < cutsPerRound && !run.finished(); cut += 1) {
        await waitForRequests(w.sim, cut === 0 && kind === 'queue' ? 1 : ctx.rng.int(3, 12), run.finished);
        await sleep(ctx.rng.int(0, 20));
        if (!run.finished()) await w.cutRedis(admin, ctx.rng.pick(run.processes).pid);
      }
      if (kind === 'queue') w.sim.setLatency(0);
      const end = await run.end();
      summary = end.summary;
      ctx.note(`round ${round + 1}: ${summary?.status ?? 'never ended'}, ${w.restarts - before} cut(s)`);
      for (const r of end.exits) {
        const crash = crashEvidence(r.stderr);
        w.check(crash === undefined, `a process crashed:\n${crash}`);
      }
      if (end.exits[0]?.code === 0) w.newChain();
      if (w.restarts > before || kind === 'queue') round += 1;
    }
    w.sim.setLatency(0);
    // Queued, the run under the cuts must itself succeed; inline, the run after them.
    if (kind === 'inline') summary = await d.runToEnd({ env });
    w.check(
      summary?.status === 'succeeded',
      `run after the cuts: ${summary?.status ?? 'never ended'} ${summary?.error?.message ?? ''}`,
    );
    w.problems.push(...(await w.diff()));
    return w.outcome(name, ['redis-cut'], { redisPrefixes: d.redisPrefixes });
  },
  { redisOnly: true },
);
