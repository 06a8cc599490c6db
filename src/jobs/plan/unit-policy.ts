/**
 * The policy of one unit, for both drivers: what is checked before a walk, how the walk runs and
 * what its failure means. In order: a stopped run calls Puffle no more; a stopping run starts no
 * walk; the unit's lock fences it against any other walker; a window done by any run is skipped;
 * the walk itself (syncPartition); a 404 on a child partition means the parent vanished between
 * listing and walking (skipped); a rejected key stops the run; a failure while the run (or the
 * worker) is stopping is an interruption, resumed from the checkpoint by the next run or job.
 * The drivers only map the answer onto their world (an error inline, a job outcome in the queue).
 */
import { AuthRejectedError, type PuffleClient, RequestRejectedError } from '../../extract/index.ts';
import type { Database, DeleteGuard } from '../../load/index.ts';
import type { Logger } from '../../log.ts';
import { RunAbortedError } from '../errors/run-aborted-error.ts';
import { type PartitionLocks, partitionLockKey } from '../partition-locks.ts';
import type { ProgressListener } from '../progress.ts';
import { type PartitionResult, syncPartition } from '../sync-partition.ts';
import type { RunStop } from './run-stop.ts';
import { type Unit, unitStateKey, windowDone } from './units.ts';

/** A database step run the driver's way (inline: retried over a lost connection). */
export type WithDb = <T>(what: string, step: (attempt: number) => Promise<T>) => Promise<T>;

/** The queue driver's way: a failed step fails the job, and BullMQ retries the job. */
export const tryOnce: WithDb = (_what, step) => step(1);

export interface UnitDeps {
  db: Database;
  client: PuffleClient;
  logger: Logger;
  stop: RunStop;
  withDb: WithDb;
  /** Absent: no other process can walk the same partitions. */
  locks?: PartitionLocks;
  onProgress?: ProgressListener;
}

export interface UnitRun {
  runId: string;
  lookbackMs: number;
  deleteGuard?: DeleteGuard;
  /** The run (or the worker) is stopping: walks end after the page they are committing. */
  signal?: AbortSignal;
}

export type UnitOutcome =
  | { kind: 'walked'; result: PartitionResult }
  /** Nothing to walk: the parent vanished, or the window was done. */
  | { kind: 'skipped' }
  /** Another walker holds the unit's lock. */
  | { kind: 'busy' }
  /** Stopped before the walk's end; `result`: what it committed first. */
  | { kind: 'interrupted'; result?: PartitionResult };

/** Throws `RunAbortedError` for a stopped run, or the walk's failure for the driver to classify. */
export async function runUnit(deps: UnitDeps, run: UnitRun, unit: Unit): Promise<UnitOutcome> {
  const { db, logger, stop } = deps;
  const stopped = await stop.reason();
  if (stopped) throw new RunAbortedError(`run ${run.runId} stopped: ${stopped.name}: ${stopped.message}`);
  if (run.signal?.aborted) return { kind: 'interrupted' };
  const lockKey = partitionLockKey(db.schema, unit.stream.name, unitStateKey(unit));
  const locks = deps.locks;
  if (locks && !(await deps.withDb('lock partition', () => locks.tryLock(lockKey)))) return { kind: 'busy' };
  try {
    if (await deps.withDb('read window state', () => windowDone(db, unit))) return { kind: 'skipped' };
    const result = await syncPartition(
      { db, client: deps.client, logger, onProgress: deps.onProgress },
      {
        runId: run.runId,
        stream: unit.stream,
        partition: unit.partition,
        window: unit.window,
        fullRefresh: unit.fullRefresh,
        lookbackMs: run.lookbackMs,
        deleteGuard: run.deleteGuard,
        signal: run.signal,
      },
    );
    return result.complete ? { kind: 'walked', result } : { kind: 'interrupted', result };
  } catch (err) {
    if (unit.stream.parent && err instanceof RequestRejectedError && err.isNotFound) {
      // The parent row vanished between listing and walking: its children are gone too.
      logger.info(
        { stream: unit.stream.name, partition: unit.partition },
        'parent no longer exists; partition skipped',
      );
      return { kind: 'skipped' };
    }
    if (err instanceof AuthRejectedError) await stop.stop(err);
    // A request in flight when the run was asked to stop fails with the stop: it reads like a walk
    // stopped between pages. A run stopped by a rejected key reports that instead.
    else if (run.signal?.aborted && !(await stop.reason())) return { kind: 'interrupted' };
    throw err;
  } finally {
    await locks?.unlock(lockKey);
  }
}
