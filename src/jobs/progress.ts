/**
 * Progress of a sync, as events. The runner emits them; a display (TTY bars, JSON log lines,
 * BullMQ job.updateProgress) consumes them.
 */
import type { StreamName } from '../extract/streams.ts';

export interface StreamProgress {
  stream: StreamName;
  partition: string;
  pages: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
  /** Partitions done / known, for child streams. */
  partitionsDone?: number;
  partitionsTotal?: number;
}

export type ProgressEvent =
  | { type: 'stream-start'; stream: StreamName; partitions: number }
  | ({ type: 'page' } & StreamProgress)
  | { type: 'stream-end'; stream: StreamName; status: 'succeeded' | 'failed' | 'partial'; error?: string }
  | { type: 'rate-limit-wait'; stream: StreamName; waitMs: number };

export type ProgressListener = (event: ProgressEvent) => void;

export const ignoreProgress: ProgressListener = () => {};
