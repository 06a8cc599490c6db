/**
 * Source churn and SIGKILL together: the seeded churn keeps changing every stream while
 * `puffle-sync sync` processes are killed mid-walk and resumed from checkpoints taken on pages
 * that have since shifted. Once the churn stops, the killed run is resumed to its end, and the
 * run after it must be exact.
 */
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';
import { churnOnce } from './source-churn.ts';

export const churnKill: Scenario = {
  name: 'churn-kill',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'churnkill', seed: ctx.seed, scale: size.scale });
    w.sim.setLatency(size.latencyMs);
    let mutations = 0;
    let stop = false;
    const churn = (async () => {
      while (!stop) {
        if (w.faultsOn && churnOnce(w.sim, ctx.rng, mutations)) mutations += 1;
        await sleep(ctx.rng.int(5, 40));
      }
    })();
    try {
      const kills = ctx.size === 'small' ? size.kills : Math.round(size.kills / 2);
      let landed = 0;
      for (let attempt = 0; landed < kills && attempt < kills * 3; attempt += 1) {
        const { child, done } = w.start(['sync', '--json']);
        let exited = false;
        void done.then(() => (exited = true));
        await waitForRequests(w.sim, ctx.rng.int(3, 40), () => exited);
        if (!exited && w.kill(child)) landed += 1;
        await done;
      }
      w.check(landed === kills, `only ${landed} of ${kills} kills landed`);
    } finally {
      stop = true;
      await churn;
    }
    w.land('mutation', mutations);
    w.sim.setLatency(0);
    // The first process after the churn resumes the killed run and skips the partitions it had
    // completed (their later changes wait for the next run, as in any run that overlaps churn);
    // the run after it starts fresh and must be exact.
    for (const which of ['resumed', 'fresh']) {
      const res = await w.syncInProcess();
      w.check(
        res.status === 'succeeded',
        `${which} run after the churn: ${res.status} ${res.error?.message ?? ''}`,
      );
    }
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['kill', 'mutation']);
  },
};
