/**
 * Adding children to a running flow. Every child is added under an explicit parent so BullMQ
 * keeps the parent/child accounting in the queue: the parent is processed again only when all its
 * children have finished (failures are kept as "ignored" and read back by the parent).
 */
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { StreamName } from '../../extract/streams.ts';
import { streamJobId } from './job-ids.ts';
import { COORDINATION_PRIORITY } from './priorities.ts';
import type { StreamJobData } from './types.ts';

export const CHILD_OPTIONS: JobsOptions = {
  ignoreDependencyOnFailure: true,
  // Finished jobs live on in Postgres (sync_runs); removing them frees their ids for the next run.
  removeOnComplete: true,
  removeOnFail: true,
};

export function parentOf(job: Job): { id: string; queue: string } {
  return { id: job.id!, queue: job.queueQualifiedName };
}

/** True when BullMQ refused the id because a job of that id belongs to another parent (another run). */
export function isOwnedByAnotherRun(err: unknown): boolean {
  return err instanceof Error && err.message.includes('cannot be replaced');
}

export async function addStreamJobs(
  queue: Queue,
  parent: { id: string; queue: string },
  base: Omit<StreamJobData, 'stream'>,
  streams: readonly StreamName[],
): Promise<void> {
  await Promise.all(
    streams.map((stream) =>
      queue.add(
        'stream',
        { ...base, stream, step: undefined, skipped: undefined, partitions: undefined },
        {
          ...CHILD_OPTIONS,
          jobId: streamJobId(base.runId, stream),
          parent,
          priority: COORDINATION_PRIORITY,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
        },
      ),
    ),
  );
}
