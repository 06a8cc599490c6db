/**
 * The key is revoked mid-run (inline: the `sync` process; queued: two `worker` processes): the run
 * stops within one request per partition slot, ends `failed` with AuthRejectedError (inline: exit
 * 3) and keeps sync_state; with a new key the next run continues from the checkpoints (≤ one
 * re-fetched commit group per walk in flight) and ends exact.
 */
import { sql } from 'drizzle-orm';
import { refetchBound } from '../../helpers/commit-group.ts';
import { bothDrivers, openDriver } from '../driver.ts';
import { SIZES } from '../sizes.ts';
import { ChaosWorld, chaosKey, waitForRequests } from '../world.ts';

export const keyRevoked = bothDrivers('key-revoked', async (ctx, kind, name) => {
  const size = SIZES[ctx.size];
  const label = `revoke${kind}`;
  const w = await ChaosWorld.open(ctx, { label, seed: ctx.seed, scale: size.scale });
  const d = await openDriver(w, kind, 'revoke');
  const oldKey = w.key;
  w.sim.setLatency(size.latencyMs);
  const run = d.start();
  await waitForRequests(w.sim, ctx.rng.int(5, 20), run.finished);
  // Only a revocation while the run is live tests anything. The clock starts after the check:
  // requests the run makes while it is asked (a query, slow under load) still carry a valid key.
  const live = !(await run.isFinished());
  const revokedAt = Date.now();
  if (live) w.revoke(oldKey);
  const { summary, exits } = await run.end(60_000);
  if (kind === 'inline') w.check(exits[0]?.code === 3, `revoked key: exit ${exits[0]?.code}, want 3`);
  w.check(
    summary?.status === 'failed' && summary.error?.name === 'AuthRejectedError',
    `run after revocation: ${summary?.status ?? 'never ended'} ${summary?.error?.name ?? ''}, want failed/AuthRejectedError`,
  );
  // Rejected requests carry no key tail in the log: before a new key exists, every request counts.
  const late = w.sim.requests.filter((r) => r.at > revokedAt).length;
  ctx.note(`${late} request(s) with the revoked key after revocation`);
  w.check(late <= run.slots, `${late} requests with the revoked key after revocation (≤ ${run.slots})`);
  const states = await w.withDb(
    async (db) =>
      (await db.query<{ n: number }>(sql`select count(*)::int as n from puffle.sync_state`))[0]?.n,
  );
  w.check((states ?? 0) > 0, 'sync_state is empty after the revoked run');

  const newKey = chaosKey(label, ctx.seed, 1);
  w.sim.addKey(newKey);
  w.useKey(newKey);
  w.sim.setLatency(0);
  const next = await d.runToEnd({ env: { PUFFLE_API_KEY: newKey } });
  w.check(
    next?.status === 'succeeded',
    `run with the new key: ${next?.status ?? 'never ended'} ${next?.error?.message ?? ''}`,
  );
  const over = w.refetches() - refetchBound(1, kind === 'inline' ? 1 : 2);
  w.check(over <= 0, `the new-key run re-fetched ${over} pages beyond one commit group per walk in flight`);
  w.problems.push(...(await w.diff()));
  return w.outcome(name, ['revocation'], { redisPrefixes: d.redisPrefixes });
});
