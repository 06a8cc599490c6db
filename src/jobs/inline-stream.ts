/**
 * One stream of an inline run: its units through the shared policy (plan/unit-policy.ts) on the
 * run's p-limit, its outcome into sync_runs, its progress events. What inline adds to the policy:
 * a busy unit or an interrupted walk is an error of the stream (the run does not wait for them).
 */
import type pLimit from 'p-limit';
import { errorSummary } from '../error-summary.ts';
import { type PuffleClient, statsSince } from '../extract/index.ts';
import type { StreamDef } from '../extract/streams.ts';
import type { DeleteGuard } from '../load/index.ts';
import { PartitionBusyError } from './errors/partition-busy-error.ts';
import { SyncInterruptedError } from './errors/sync-interrupted-error.ts';
import type { PartitionLocks } from './partition-locks.ts';
import type { RunPlan } from './plan/run-plan.ts';
import type { RunStop } from './plan/run-stop.ts';
import { closeStream, openStream, type PlanIo, streamOutcome } from './plan/stream-policy.ts';
import { runUnit } from './plan/unit-policy.ts';
import type { Unit } from './plan/units.ts';
import type { ProgressListener } from './progress.ts';
import type { StreamSummary } from './run-sync.ts';
import { addCounts, emptyCounts } from './sync-partition.ts';

export interface InlineRun {
  plan: RunPlan;
  io: PlanIo;
  client: PuffleClient;
  locks?: PartitionLocks;
  stop: RunStop;
  limit: ReturnType<typeof pLimit>;
  lookbackMs: number;
  deleteGuard?: DeleteGuard;
  signal: AbortSignal;
  onProgress?: ProgressListener;
}

export async function runInlineStream(run: InlineRun, def: StreamDef): Promise<StreamSummary> {
  const { plan, io, client } = run;
  const summary: StreamSummary = {
    stream: def.name,
    status: 'succeeded',
    partitions: 0,
    pages: 0,
    counts: emptyCounts(),
    ...statsSince(undefined),
  };
  const before = client.stats()[def.name];
  const opened = await openStream(io, plan, def, run.stop);
  let outcome: { status: StreamSummary['status']; error?: StreamSummary['error'] };
  if ('failed' in opened) outcome = { status: 'failed', error: opened.failed };
  else {
    const { units } = opened;
    summary.partitions = units.length;
    run.onProgress?.({ type: 'stream-start', stream: def.name, partitions: units.length });
    let done = 0;
    const results = await Promise.allSettled(
      units.map((unit) =>
        run.limit(async () => {
          try {
            await walkUnit(run, unit, summary, units.length);
          } finally {
            done += 1;
            run.onProgress?.({
              type: 'page',
              stream: def.name,
              partition: unit.partition,
              pages: summary.pages,
              records: summary.counts.read,
              ...summary.counts,
              partitionsDone: done,
              partitionsTotal: units.length,
            });
          }
        }),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected').map((r) => errorSummary(r.reason));
    outcome = streamOutcome(results.length, failures, await run.stop.reason());
  }
  Object.assign(summary, outcome);
  const requests = statsSince(client.stats()[def.name], before);
  Object.assign(summary, requests);
  await closeStream(io, plan.runId, def.name, { ...outcome, ...requests });
  run.onProgress?.({
    type: 'stream-end',
    stream: def.name,
    status: summary.status,
    error: summary.error?.message,
  });
  return summary;
}

async function walkUnit(run: InlineRun, unit: Unit, summary: StreamSummary, units: number): Promise<void> {
  const out = await runUnit(
    {
      ...run.io,
      client: run.client,
      stop: run.stop,
      locks: run.locks,
      // Page-level progress only where the partition is the whole stream; multi-partition
      // streams report per finished partition.
      onProgress: units === 1 ? run.onProgress : undefined,
    },
    { runId: run.plan.runId, lookbackMs: run.lookbackMs, deleteGuard: run.deleteGuard, signal: run.signal },
    unit,
  );
  if (out.kind === 'busy') throw new PartitionBusyError(unit.stream.name, unit.partition);
  if (out.kind === 'skipped') return;
  if (out.result) {
    summary.pages += out.result.pages;
    addCounts(summary.counts, out.result.counts);
  }
  if (out.kind === 'interrupted') throw new SyncInterruptedError({ cause: run.signal.reason });
}
