/**
 * Postgres connections cut mid-run: `pg_terminate_backend` of the sync's own connections
 * (application_name 'puffle-sync' in this scenario's database only — the shared server is never
 * restarted) at seeded moments while `puffle-sync sync` runs. Each run must ride out the cuts
 * (page commits and bookkeeping retry on a fresh connection) and exit 0 without a crash or a
 * half-committed page; the tables must then be exact.
 */
import pg from 'pg';
import { adminDatabaseUrl } from '../../helpers/services.ts';
import { crashed } from '../crash.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const pgTerminate: Scenario = {
  name: 'pg-terminate',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'pgkill', seed: ctx.seed, scale: size.scale });
    const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    try {
      w.sim.setLatency(size.latencyMs);
      const rounds = ctx.size === 'small' ? 1 : 4;
      for (let round = 0; round < rounds; round += 1) {
        const { child, done } = w.start(['sync', '--json']);
        let exited = false;
        void done.then(() => (exited = true));
        let cuts = 0;
        for (let cut = 0; cut < 3 && !exited; cut += 1) {
          await waitForRequests(w.sim, ctx.rng.int(3, 15), () => exited);
          await sleep(ctx.rng.int(0, 30));
          if (!exited) cuts += await w.cutPostgres(admin, [child.pid]);
        }
        const res = await done;
        // Every cut connection reports itself (pool, retry or lock warning): the cuts reached it.
        if (cuts > 0)
          w.check(
            /connection lost|lost the connection/.test(res.stderr),
            `round ${round + 1}: ${cuts} connection(s) cut, but the process never noticed`,
          );
        ctx.note(
          `round ${round + 1}: exit ${res.code}\n${res.stderr
            .split('\n')
            .filter((l) => !l.startsWith('{"level":30') && !l.startsWith('{"level":20'))
            .join('\n')
            .slice(0, 3000)}`,
        );
        w.check(
          !crashed(res.stderr),
          `process crashed instead of failing the run: ${res.stderr.slice(0, 300)}`,
        );
        w.check(
          res.code === 0,
          `round ${round + 1}: the run did not ride out the connection cuts (exit ${res.code})`,
        );
        if (res.code === 0) w.newChain();
      }
      w.sim.setLatency(0);
      let status = '';
      for (let i = 0; i < 2 && status !== 'succeeded'; i += 1) status = (await w.syncInProcess()).status;
      w.check(status === 'succeeded', `no clean run after the connection cuts (last: ${status})`);
      w.problems.push(...(await w.diff()));
    } finally {
      await admin.end();
    }
    return w.outcome(this.name, ['pg-cut']);
  },
};
