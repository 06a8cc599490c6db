/**
 * Two overlapping queued runs — a scheduled one fires while a manual one is being processed by
 * two worker processes: they share the partition jobs (one job per stream/partition), both end
 * `succeeded`, at most one commit group per walk in flight is fetched twice, and the result is exact.
 */
import { STREAM_NAMES } from '../../../src/extract/streams.ts';
import { enqueueRun } from '../../../src/jobs/queue/index.ts';
import { refetchBound } from '../../helpers/commit-group.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, waitForRequests } from '../world.ts';

export const overlappingRunsQueue: Scenario = {
  name: 'overlapping-runs-queue',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'qoverlap', seed: ctx.seed, scale: size.scale });
    const q = await ChaosQueue.open(w, 'overlap');
    w.sim.setLatency(20);
    const workers = [q.startWorker(), q.startWorker()];
    const manual = await q.enqueue();
    await waitForRequests(w.sim, ctx.rng.int(2, 20), () => false);
    // The fault: a second run enqueued while the first one is processed.
    const scheduled = w.faultsOn
      ? await enqueueRun(q.sq.queue, { streams: STREAM_NAMES, trigger: 'schedule' })
      : undefined;
    if (scheduled && !(await q.isFinished(manual))) w.land('overlap');
    const [a, b] = await Promise.all([
      q.follow(manual, 120_000),
      scheduled ? q.follow(scheduled, 120_000) : undefined,
    ]);
    w.check(
      a?.status === 'succeeded',
      `manual run: ${a?.status ?? 'never ended'} ${a?.error?.message ?? ''}`,
    );
    w.check(
      b?.status === 'succeeded',
      `scheduled run: ${b?.status ?? 'never ended'} ${b?.error?.message ?? ''}`,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((x) => x.done));
    const over = w.refetches() - refetchBound(1, workers.length);
    w.check(
      over <= 0,
      `overlapping queued runs re-fetched ${over} pages beyond one commit group per walk in flight`,
    );
    w.sim.setLatency(0);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['overlap'], { redisPrefixes: [q.prefix] });
  },
};
