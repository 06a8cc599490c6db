/**
 * Postgres connections of two `puffle-sync worker` processes terminated mid-run (this scenario's
 * database only): workers must not crash or hang; the run may end `partial`, and the next queued
 * run must bring every table to exact.
 */
import pg from 'pg';
import { adminDatabaseUrl } from '../../helpers/services.ts';
import { crashed } from '../crash.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const pgTerminateQueue: Scenario = {
  name: 'pg-terminate-queue',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'qpgkill', seed: ctx.seed, scale: size.scale });
    const q = await ChaosQueue.open(w, 'pgkill');
    const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    ctx.track(() => admin.end());
    w.sim.setLatency(size.latencyMs);
    const workers = [q.startWorker(), q.startWorker()];
    const runId = await q.enqueue();
    let finished = false;
    const poll = setInterval(() => void q.isFinished(runId).then((f) => (finished ||= f)), 250);
    for (let cut = 0; cut < (ctx.size === 'small' ? 3 : 8) && !finished; cut += 1) {
      await waitForRequests(w.sim, ctx.rng.int(3, 15), () => finished);
      await sleep(ctx.rng.int(0, 30));
      if (!finished)
        await w.cutPostgres(
          admin,
          workers.map((x) => x.child.pid),
        );
    }
    clearInterval(poll);
    const first = await q.follow(runId, 120_000);
    ctx.note(`run under terminations: ${first?.status ?? 'never ended'} ${first?.error?.message ?? ''}`);
    w.check(first !== undefined, 'the run under terminations never ended');
    w.sim.setLatency(0);
    const next = await q.follow(await q.enqueue(), 120_000);
    w.check(
      next?.status === 'succeeded',
      `the next queued run: ${next?.status ?? 'never ended'} ${next?.error?.message ?? ''}`,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    const results = await Promise.all(workers.map((x) => x.done));
    for (const r of results) w.check(!crashed(r.stderr), `a worker crashed: ${r.stderr.slice(-300)}`);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['pg-cut'], { redisPrefixes: [q.prefix] });
  },
};
