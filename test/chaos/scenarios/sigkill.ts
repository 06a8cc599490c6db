/**
 * SIGKILL of the sync's processes at seeded random moments (after a random number of requests
 * plus a random delay, so kills land inside HTTP waits, commits and start-up alike): inline the
 * `puffle-sync sync` process, each next one resuming the interrupted run; queued a `worker`
 * process, whose jobs BullMQ's stalled-job recovery hands to the next worker. The last run must
 * end `succeeded` and exact, re-fetching at most one commit group per walk in flight per kill.
 */

import { refetchBound } from '../../helpers/commit-group.ts';
import { bothDrivers, openDriver } from '../driver.ts';
import { SIZES } from '../sizes.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const sigkill = bothDrivers('sigkill', async (ctx, kind, name) => {
  const size = SIZES[ctx.size];
  const w = await ChaosWorld.open(ctx, { label: `kill${kind}`, seed: ctx.seed, scale: size.scale });
  const d = await openDriver(w, kind, 'kill');
  w.sim.setLatency(size.latencyMs);
  let killsInChain = 0;
  let maxRefetch = 0;
  let kills = 0;
  // A run that finishes before its moment is not a kill: draw another moment.
  for (let attempt = 0; kills < size.kills && attempt < size.kills * 3; attempt += 1) {
    const run = d.start({ processes: 1 });
    await waitForRequests(w.sim, ctx.rng.int(0, 40), run.finished);
    await sleep(ctx.rng.int(0, 40));
    const [child] = run.processes;
    // A kill lands only while the run is live.
    if (!(await run.isFinished()) && w.kill(child!)) {
      kills += 1;
      killsInChain += 1;
    }
    if ((await run.release()).completed) {
      // The run ended between kills: its re-fetches are accounted, the next kills get a new run.
      maxRefetch = Math.max(maxRefetch, w.refetches() - refetchBound(killsInChain));
      killsInChain = 0;
      w.newChain();
    }
  }
  w.check(kills === size.kills, `only ${kills} of ${size.kills} kills landed`);
  w.sim.setLatency(0);
  const final = await d.runToEnd();
  w.check(
    final?.status === 'succeeded',
    `final run: ${final?.status ?? 'never ended'} ${final?.error?.message ?? ''}`,
  );
  const over = w.refetches() - refetchBound(killsInChain);
  w.check(
    Math.max(over, maxRefetch) <= 0,
    `re-fetched ${Math.max(over, maxRefetch)} pages beyond one commit group per walk in flight per kill`,
  );
  w.problems.push(...(await w.diff()));
  return w.outcome(name, ['kill'], { redisPrefixes: d.redisPrefixes });
});
