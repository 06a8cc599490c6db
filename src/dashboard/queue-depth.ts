/** BullMQ job counts per state, read live from Redis for /metrics. */
import type { Queue } from 'bullmq';

export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'paused',
  'completed',
  'failed',
] as const;

export interface QueueDepth {
  queue: string;
  counts: Record<string, number>;
}

export async function readQueueDepth(queues: readonly Queue[]): Promise<QueueDepth[]> {
  return Promise.all(
    queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...JOB_STATES) })),
  );
}
