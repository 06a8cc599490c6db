/**
 * The key is revoked while two `puffle-sync worker` processes run a queued run: every worker stops
 * within one request per job slot, the run ends `failed` with AuthRejectedError, sync_state is
 * kept; workers restarted with a new key run the next run from the checkpoints, exact.
 */
import { sql } from 'drizzle-orm';
import { refetchBound } from '../../helpers/commit-group.ts';
import { ChaosQueue } from '../queue.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, chaosKey, waitForRequests } from '../world.ts';

const WORKERS = 2;
const SLOTS_PER_WORKER = 4;

export const keyRevokedQueue: Scenario = {
  name: 'key-revoked-queue',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'qrevoke', seed: ctx.seed, scale: size.scale });
    const q = await ChaosQueue.open(w, 'revoke');
    const oldKey = w.key;
    w.sim.setLatency(size.latencyMs);
    const workers = Array.from({ length: WORKERS }, () => q.startWorker());
    const runId = await q.enqueue();
    await waitForRequests(w.sim, ctx.rng.int(5, 20), () => false);
    // Only a revocation while the run is still processed tests anything.
    const running = !(await q.isFinished(runId));
    const revokedAt = Date.now();
    if (running) w.revoke(oldKey);
    const summary = await q.follow(runId, 60_000);
    w.check(
      summary?.status === 'failed' && summary.error?.name === 'AuthRejectedError',
      `queued run after revocation: ${summary?.status ?? 'never ended'} ${summary?.error?.name ?? ''}`,
    );
    // Rejected requests carry no key tail in the log: before a new key exists, every request counts.
    const late = w.sim.requests.filter((r) => r.at > revokedAt).length;
    ctx.note(`${late} request(s) with the revoked key after revocation`);
    w.check(
      late <= WORKERS * SLOTS_PER_WORKER,
      `${late} requests with the revoked key after revocation (≤ ${WORKERS * SLOTS_PER_WORKER})`,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((x) => x.done));
    const states = await w.withDb(
      async (db) =>
        (await db.query<{ n: number }>(sql`select count(*)::int as n from puffle.sync_state`))[0]?.n,
    );
    w.check((states ?? 0) > 0, 'sync_state is empty after the revoked run');

    const newKey = chaosKey('qrevoke', ctx.seed, 1);
    w.sim.addKey(newKey);
    w.useKey(newKey);
    w.sim.setLatency(0);
    const fresh = Array.from({ length: WORKERS }, () => q.startWorker({ PUFFLE_API_KEY: newKey }));
    const next = await q.follow(await q.enqueue(), 120_000);
    w.check(next?.status === 'succeeded', `run with the new key: ${next?.status ?? 'never ended'}`);
    for (const worker of fresh) worker.child.kill('SIGTERM');
    await Promise.all(fresh.map((x) => x.done));
    const over = w.refetches() - refetchBound(1, WORKERS);
    w.check(over <= 0, `the new-key run re-fetched ${over} pages beyond one commit group per walk in flight`);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['revocation'], { redisPrefixes: [q.prefix] });
  },
};
