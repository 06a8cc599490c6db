/** What every job processor of a worker process shares: opened once at worker start. */
import type { Queue } from 'bullmq';
import type { Config } from '../../config/config.ts';
import type { RequestBudget } from '../../extract/index.ts';
import type { Database } from '../../load/index.ts';
import type { Logger } from '../../log.ts';
import type { PartitionLocks } from '../partition-locks.ts';
import type { RunFlags } from './run-abort.ts';

export interface JobContext {
  config: Config;
  /** From this worker's own environment; never from job data. */
  apiKey: string;
  logger: Logger;
  db: Database;
  /** The request budget shared (through the queue backend) by every worker of the key. */
  budget: RequestBudget;
  queue: Queue;
  /** The run's "stop" flags, kept by the queue backend. */
  runFlags: RunFlags;
  /** A 429 wait up to this long is slept inside the job; a longer one frees the worker slot. */
  slotWaitMs: number;
  /** One walker per partition, even when BullMQ hands a job to two workers. */
  locks: PartitionLocks;
}
