/** BullMQ job counts per state, read live from the queue backend for /metrics. */
import type { JobType, Queue } from 'bullmq';

/**
 * BullMQ 6 dropped `'paused'` from its `JobType` (a pause is a queue flag now), yet both backends
 * still count it: Redis keeps the jobs of a paused queue in their own list, and Postgres reports
 * its waiting jobs as paused while the flag is set. Without it those jobs would vanish from
 * `/metrics` for as long as the queue is paused.
 */
export const PAUSED_STATE = 'paused' as JobType;

export const JOB_STATES: readonly JobType[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  PAUSED_STATE,
  'completed',
  'failed',
];

export interface QueueDepth {
  queue: string;
  counts: Record<string, number>;
}

export async function readQueueDepth(queues: readonly Queue[]): Promise<QueueDepth[]> {
  return Promise.all(
    queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...JOB_STATES) })),
  );
}
