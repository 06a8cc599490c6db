/**
 * What the queue holds, for status reports: jobs of every kind by state, and partition jobs in
 * flight and waiting per stream (the newest SCAN_LIMIT of each state).
 */
import type { Queue } from 'bullmq';
import type { PartitionJobData } from './types.ts';

export interface QueueJobs {
  counts: Record<string, number>;
  byStream: Map<string, { active: number; waiting: number }>;
}

const SCAN_LIMIT = 10_000;

export async function readQueueJobs(queue: Queue): Promise<QueueJobs> {
  const counts = await queue.getJobCounts(
    'active',
    'waiting',
    'prioritized',
    'delayed',
    'waiting-children',
    'failed',
  );
  const byStream = new Map<string, { active: number; waiting: number }>();
  const tally = async (
    states: Array<'active' | 'waiting' | 'prioritized' | 'delayed'>,
    key: 'active' | 'waiting',
  ) => {
    const jobs = await queue.getJobs(states, 0, SCAN_LIMIT - 1);
    for (const job of jobs) {
      if (job?.name !== 'partition') continue;
      const { stream } = job.data as PartitionJobData;
      const entry = byStream.get(stream) ?? { active: 0, waiting: 0 };
      entry[key] += 1;
      byStream.set(stream, entry);
    }
  };
  await tally(['active'], 'active');
  await tally(['waiting', 'prioritized', 'delayed'], 'waiting');
  return { counts, byStream };
}
