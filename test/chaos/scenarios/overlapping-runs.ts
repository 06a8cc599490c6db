/**
 * Two overlapping runs: a second `puffle-sync sync` (the scheduled one) starts while a manual one
 * runs, on the same database; the simulator answers slowly until the second one is done, so the
 * overlap holds on a loaded machine. One of them walks; the other stands aside
 * (SyncAlreadyRunningError, exit 1) instead of walking the same partitions or mistaking the live
 * run for an interrupted one. Together they re-fetch at most one commit group per walk in flight, and the result
 * is exact.
 */
import { sql } from 'drizzle-orm';
import { refetchBound } from '../../helpers/commit-group.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep } from '../world.ts';

async function runRowExists(w: ChaosWorld): Promise<boolean> {
  return w
    .withDb(async (db) => {
      const rows = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.sync_runs where stream = '*' and status = 'running'`,
      );
      return (rows[0]?.n ?? 0) > 0;
    })
    .catch(() => false);
}

export const overlappingRuns: Scenario = {
  name: 'overlapping-runs',
  async run(ctx) {
    const w = await ChaosWorld.open(ctx, {
      label: 'overlap',
      seed: ctx.seed,
      scale: ctx.size === 'small' ? 120 : 300,
    });
    // Every request takes 2 s (below the 5 s client timeout) until the second process is done, so
    // the first run is still live however long the second one takes to boot on a loaded machine.
    w.sim.setLatency(2000);
    const manual = w.start(['sync', '--json']);
    let exited = false;
    void manual.done.then(() => (exited = true));
    while (!exited && !(await runRowExists(w))) await sleep(100);
    await sleep(ctx.rng.int(0, 300));
    // The fault: a second process while the first one runs.
    const overlap = w.faultsOn && !exited;
    if (overlap) w.land('overlap');
    const scheduled = overlap ? w.start(['sync', '--json']) : undefined;
    const second = await scheduled?.done;
    w.check(!exited, 'the first run ended before the second process did: they never overlapped');
    w.sim.setLatency(20);
    const results = [await manual.done, ...(second ? [second] : [])];
    const walked = results.filter((r) => r.code === 0).length;
    const stoodAside = results.filter((r) => r.code === 1 && r.stderr.includes('SyncAlreadyRunningError'));
    ctx.note(`exits ${results.map((r) => r.code).join(', ')}`);
    w.check(
      walked === 1 && stoodAside.length === 1,
      `overlapping runs exited ${results.map((r) => `${r.code} ${r.stderr.slice(-160)}`).join(' / ')}`,
    );
    for (const r of stoodAside)
      w.check(
        r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{')).length === 1,
        'the run that stood aside printed more than one line',
      );
    const over = w.refetches() - refetchBound(1);
    w.check(
      over <= 0,
      `overlapping runs re-fetched ${over} pages beyond one commit group per walk in flight`,
    );
    w.sim.setLatency(0);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['overlap']);
  },
};
