/**
 * Postgres connections cut mid-run: `pg_terminate_backend` of the connections the sync's processes
 * hold to this scenario's database (found by their local ports — the shared server is never
 * restarted) at seeded moments. Inline, each `sync` must ride out its cuts (page commits and
 * bookkeeping retried on a fresh connection) and exit 0, having logged them; queued, the workers
 * must not crash or hang and the run must end (it may end `partial`: a job whose connection was
 * cut fails, and BullMQ retries it). Then a calm run must leave every table exact.
 */
import pg from 'pg';
import { adminDatabaseUrl } from '../../helpers/services.ts';
import { crashEvidence } from '../crash.ts';
import { bothDrivers, openDriver } from '../driver.ts';
import { SIZES } from '../sizes.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const pgTerminate = bothDrivers('pg-terminate', async (ctx, kind, name) => {
  const size = SIZES[ctx.size];
  const w = await ChaosWorld.open(ctx, { label: `pgkill${kind}`, seed: ctx.seed, scale: size.scale });
  const d = await openDriver(w, kind, 'pgkill');
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  ctx.track(() => admin.end());
  w.sim.setLatency(size.latencyMs);
  // Inline: several runs of a few cuts each; queued: one run under two workers, more cuts.
  const rounds = kind === 'queue' || ctx.size === 'small' ? 1 : 4;
  const cutsPerRound = kind === 'inline' ? 3 : ctx.size === 'small' ? 3 : 8;
  for (let round = 1; round <= rounds; round += 1) {
    const run = d.start();
    let cuts = 0;
    for (let cut = 0; cut < cutsPerRound && !run.finished(); cut += 1) {
      await waitForRequests(w.sim, ctx.rng.int(3, 15), run.finished);
      await sleep(ctx.rng.int(0, 30));
      if (!run.finished())
        cuts += await w.cutPostgres(
          admin,
          run.processes.map((p) => p.pid),
        );
    }
    const { summary, exits } = await run.end();
    ctx.note(`round ${round}: ${summary?.status ?? 'never ended'} ${summary?.error?.message ?? ''}`);
    w.check(summary !== undefined, `round ${round}: the run under terminations never ended`);
    for (const r of exits) {
      const crash = crashEvidence(r.stderr);
      w.check(crash === undefined, `a process crashed:\n${crash}`);
    }
    if (kind === 'queue') continue;
    const [res] = exits;
    ctx.note(
      `round ${round}: exit ${res?.code}\n${res?.stderr
        .split('\n')
        .filter((l) => !l.startsWith('{"level":30') && !l.startsWith('{"level":20'))
        .join('\n')
        .slice(0, 3000)}`,
    );
    // Every cut connection reports itself (pool, retry or lock warning): the cuts reached it.
    if (cuts > 0)
      w.check(
        /connection lost|lost the connection/.test(res?.stderr ?? ''),
        `round ${round}: ${cuts} connection(s) cut, but the process never noticed`,
      );
    w.check(
      res?.code === 0,
      `round ${round}: the run did not ride out the connection cuts (exit ${res?.code})`,
    );
    if (res?.code === 0) w.newChain();
  }
  w.sim.setLatency(0);
  // Inline, the first calm run may still finish what a cut interrupted; queued, the first must do.
  let status = '';
  for (let i = kind === 'inline' ? 0 : 1; i < 2 && status !== 'succeeded'; i += 1)
    status = (await d.runToEnd())?.status ?? 'never ended';
  w.check(status === 'succeeded', `no clean run after the connection cuts (last: ${status})`);
  w.problems.push(...(await w.diff()));
  return w.outcome(name, ['pg-cut'], { redisPrefixes: d.redisPrefixes });
});
