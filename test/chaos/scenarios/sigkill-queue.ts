/**
 * SIGKILL of `puffle-sync worker` processes at seeded random moments while a queued run is
 * processed: BullMQ's stalled-job recovery hands the killed worker's jobs to the next worker,
 * which resumes from the checkpoints. The run must end `succeeded` and exact, re-fetching at most
 * one commit group per walk in flight per kill.
 */

import { refetchBound } from '../../helpers/commit-group.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const sigkillQueue: Scenario = {
  name: 'sigkill-queue',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'qkill', seed: ctx.seed, scale: size.scale });
    const q = await ChaosQueue.open(w, 'kill');
    w.sim.setLatency(size.latencyMs);
    let runId = await q.enqueue();
    let runs = 1;
    let killsInRun = 0;
    for (let i = 0; i < size.kills; i += 1) {
      const worker = q.startWorker();
      let exited = false;
      void worker.done.then(() => (exited = true));
      let finished = false;
      const poll = setInterval(() => void q.isFinished(runId).then((f) => (finished ||= f)), 250);
      await waitForRequests(w.sim, ctx.rng.int(1, 40), () => exited || finished);
      clearInterval(poll);
      await sleep(ctx.rng.int(0, 40));
      // A kill lands only while the run is processed; a worker not killed is stopped gracefully.
      const killed = !finished && !(await q.isFinished(runId)) && w.kill(worker.child);
      if (!killed) worker.child.kill('SIGTERM');
      await worker.done;
      if (killed) killsInRun += 1;
      if (await q.isFinished(runId)) {
        // The run ended between kills: account for it and give the next kills a new one.
        const over = w.refetches() - refetchBound(killsInRun);
        w.check(
          over <= 0,
          `run ${runs} re-fetched ${over} pages beyond one commit group per walk in flight per kill`,
        );
        w.newChain();
        killsInRun = 0;
        runId = await q.enqueue();
        runs += 1;
      }
    }
    w.sim.setLatency(0);
    const survivor = q.startWorker();
    const summary = await q.follow(runId, 120_000);
    survivor.child.kill('SIGTERM');
    await survivor.done;
    w.check(
      summary?.status === 'succeeded',
      `queued run ended ${summary?.status ?? 'never'}: ${summary?.error?.message ?? ''}`,
    );
    const over = w.refetches() - refetchBound(killsInRun);
    w.check(over <= 0, `re-fetched ${over} pages beyond one commit group per walk in flight per kill`);
    w.problems.push(...(await w.diff()));
    ctx.note(`${runs} queued run(s)`);
    // The worker processes count as the runs here.
    return w.outcome(this.name, ['kill'], { redisPrefixes: [q.prefix] });
  },
};
