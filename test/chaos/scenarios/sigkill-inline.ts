/**
 * SIGKILL of `puffle-sync sync` at seeded random moments (after a random number of requests plus a
 * random delay, so kills land inside HTTP waits, commits and start-up alike). Each new process
 * resumes the interrupted run; the final one must end exact, re-fetching at most one commit group
 * per walk in flight per kill.
 */

import { refetchBound } from '../../helpers/commit-group.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const sigkillInline: Scenario = {
  name: 'sigkill-inline',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'kill', seed: ctx.seed, scale: size.scale });
    w.sim.setLatency(size.latencyMs);
    let killsSinceChain = 0;
    let maxRefetch = 0;
    let kills = 0;
    // A process that finishes before its moment is not a kill: draw another moment.
    for (let attempt = 0; kills < size.kills && attempt < size.kills * 3; attempt += 1) {
      const afterRequests = ctx.rng.int(0, 40);
      const extraMs = ctx.rng.int(0, 40);
      const { child, done } = w.start(['sync', '--json']);
      let exited = false;
      void done.then(() => (exited = true));
      await waitForRequests(w.sim, afterRequests, () => exited);
      await sleep(extraMs);
      if (!exited && w.kill(child)) {
        kills += 1;
        killsSinceChain += 1;
      }
      const res = await done;
      if (res.code === 0) {
        // The run finished before the kill: re-fetch accounting starts over.
        maxRefetch = Math.max(maxRefetch, w.refetches() - refetchBound(killsSinceChain));
        killsSinceChain = 0;
        w.newChain();
      }
    }
    w.check(kills === size.kills, `only ${kills} of ${size.kills} kills landed`);
    w.sim.setLatency(0);
    // The last process-to-be resumes in this process: the same resume path, without a boot.
    const final = await w.syncInProcess();
    w.check(final.status === 'succeeded', `final run: ${final.status} ${final.error?.message ?? ''}`);
    const over = w.refetches() - refetchBound(killsSinceChain);
    w.check(
      Math.max(over, maxRefetch) <= 0,
      `re-fetched ${over} pages beyond one commit group per walk in flight per kill`,
    );
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['kill']);
  },
};
