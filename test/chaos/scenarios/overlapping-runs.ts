/**
 * Two overlapping runs on one database: a second run (the scheduled one) starts while a manual one
 * is live. Inline, a second `puffle-sync sync` process: the simulator answers slowly until it is
 * done, so the overlap holds on a loaded machine; one of them walks, the other stands aside
 * (SyncAlreadyRunningError, exit 1, one line) instead of walking the same partitions or mistaking
 * the live run for an interrupted one. Queued, a second run enqueued under two workers: the runs
 * share the partition jobs (one job per stream/partition) and both end `succeeded`. Either way at
 * most one commit group per walk in flight is fetched twice, and the result is exact.
 */
import { sql } from 'drizzle-orm';
import { STREAM_NAMES } from '../../../src/extract/streams.ts';
import { enqueueRun } from '../../../src/jobs/queue/index.ts';
import { refetchBound } from '../../helpers/commit-group.ts';
import { bothDrivers, type ChaosDriver, openDriver } from '../driver.ts';
import { SIZES } from '../sizes.ts';
import type { ScenarioContext } from '../types.ts';
import { ChaosWorld, sleep, waitForRequests } from '../world.ts';

export const overlappingRuns = bothDrivers('overlapping-runs', async (ctx, kind, name) => {
  const scale = kind === 'inline' ? (ctx.size === 'small' ? 120 : 300) : SIZES[ctx.size].scale;
  const w = await ChaosWorld.open(ctx, { label: `overlap${kind}`, seed: ctx.seed, scale });
  const d = await openDriver(w, kind, 'overlap');
  if (kind === 'inline') await inlineOverlap(ctx, w, d);
  else await queuedOverlap(ctx, w, d);
  const over = w.refetches() - refetchBound(1, kind === 'inline' ? 1 : 2);
  w.check(over <= 0, `overlapping runs re-fetched ${over} pages beyond one commit group per walk in flight`);
  w.sim.setLatency(0);
  w.problems.push(...(await w.diff()));
  return w.outcome(name, ['overlap'], { redisPrefixes: d.redisPrefixes });
});

async function inlineOverlap(ctx: ScenarioContext, w: ChaosWorld, d: ChaosDriver): Promise<void> {
  // Every request takes 2 s (below the 5 s client timeout) until the second process is done, so
  // the first run is still live however long the second one takes to boot on a loaded machine.
  w.sim.setLatency(2000);
  const manual = d.start();
  while (!manual.finished() && !(await runRowExists(w))) await sleep(100);
  await sleep(ctx.rng.int(0, 300));
  // The fault: a second process while the first one runs.
  const overlap = w.faultsOn && !manual.finished();
  if (overlap) w.land('overlap');
  const second = overlap ? (await d.start().release()).exits : [];
  w.check(!manual.finished(), 'the first run ended before the second process did: they never overlapped');
  w.sim.setLatency(20);
  const results = [...(await manual.release()).exits, ...second];
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
}

async function queuedOverlap(ctx: ScenarioContext, w: ChaosWorld, d: ChaosDriver): Promise<void> {
  w.sim.setLatency(20);
  const manual = d.start();
  await waitForRequests(w.sim, ctx.rng.int(2, 20), () => false);
  // The fault: a second run enqueued while the first one is processed.
  const q = d.queue!;
  const scheduled = w.faultsOn
    ? await enqueueRun(q.sq.queue, { streams: STREAM_NAMES, trigger: 'schedule' })
    : undefined;
  if (scheduled && !(await manual.isFinished())) w.land('overlap');
  // The workers stay until both ended: the scheduled run is followed first.
  const b = scheduled ? await q.follow(scheduled, 120_000) : undefined;
  const a = (await manual.end()).summary;
  w.check(a?.status === 'succeeded', `manual run: ${a?.status ?? 'never ended'} ${a?.error?.message ?? ''}`);
  w.check(
    b?.status === 'succeeded',
    `scheduled run: ${b?.status ?? 'never ended'} ${b?.error?.message ?? ''}`,
  );
}

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
