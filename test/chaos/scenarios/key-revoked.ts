/**
 * The key is revoked mid-run: the process stops within one request per in-flight partition,
 * exits 3, records the run `failed` with AuthRejectedError and keeps sync_state; with a new key
 * the next run continues from the checkpoints (≤ one re-fetched commit group per walk in flight) and ends exact.
 */
import { sql } from 'drizzle-orm';
import { refetchBound } from '../../helpers/commit-group.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, chaosKey, waitForRequests } from '../world.ts';

/** Partitions the CLI walks at once (its --concurrency default). */
const CONCURRENCY = 4;

export const keyRevoked: Scenario = {
  name: 'key-revoked',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'revoke', seed: ctx.seed, scale: size.scale });
    const oldKey = w.key;
    w.sim.setLatency(size.latencyMs);
    const { done } = w.start(['sync', '--json']);
    let exited = false;
    void done.then(() => (exited = true));
    await waitForRequests(w.sim, ctx.rng.int(5, 20), () => exited);
    const revokedAt = Date.now();
    // Only a revocation while the process still runs tests anything.
    if (!exited) w.revoke(oldKey);
    const res = await done;
    w.check(res.code === 3, `revoked key: exit ${res.code}, want 3`);
    // Rejected requests carry no key tail in the log: before a new key exists, every request counts.
    const late = w.sim.requests.filter((r) => r.at > revokedAt).length;
    ctx.note(`${late} request(s) with the revoked key after revocation`);
    w.check(late <= CONCURRENCY, `${late} requests with the revoked key after revocation (≤ ${CONCURRENCY})`);
    const { run, states } = await w.withDb(async (db) => {
      const [run] = await db.query<{ status: string; error_class: string | null }>(
        sql`select status, error_class from puffle.sync_runs where stream = '*' order by started_at desc limit 1`,
      );
      const [states] = await db.query<{ n: number }>(sql`select count(*)::int as n from puffle.sync_state`);
      return { run, states: states?.n ?? 0 };
    });
    w.check(
      run?.status === 'failed' && run.error_class === 'AuthRejectedError',
      `run after revocation: ${JSON.stringify(run)}, want failed/AuthRejectedError`,
    );
    w.check(states > 0, 'sync_state is empty after the revoked run');

    const newKey = chaosKey('revoke', ctx.seed, 1);
    w.sim.addKey(newKey);
    w.useKey(newKey);
    w.sim.setLatency(0);
    const next = await w.syncInProcess({ env: { PUFFLE_API_KEY: newKey } });
    w.check(next.status === 'succeeded', `run with the new key: ${next.status} ${next.error?.message ?? ''}`);
    const over = w.refetches() - refetchBound(1);
    w.check(over <= 0, `the new-key run re-fetched ${over} pages beyond one commit group per walk in flight`);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['revocation']);
  },
};
