/**
 * Deterministic BullMQ job ids. A partition job's id names only (stream, partition) — not the
 * run — so while one is queued or running, no other run can add a second job for the same
 * partition: BullMQ refuses a duplicate id, and that refusal is our "exactly one in-flight job per
 * (stream, partition)". Completed and failed partition jobs are removed at once so the next run
 * can reuse the id. BullMQ forbids `:` in custom ids, so every part is URI-encoded.
 */
import type { StreamName } from '../../extract/streams.ts';
import type { BackfillWindow } from './types.ts';

const part = (value: string) => encodeURIComponent(value);

export const runJobId = (runId: string) => `run/${part(runId)}`;

export const streamJobId = (runId: string, stream: StreamName) => `stream/${part(runId)}/${stream}`;

export function partitionJobId(stream: StreamName, partition: string): string {
  return partition === '' ? `part/${stream}` : `part/${stream}/${part(partition)}`;
}

/** Windows are keyed by their bounds, so re-running a backfill re-uses (and dedupes) its jobs. */
export function windowJobId(stream: StreamName, partition: string, window: BackfillWindow): string {
  const bounds = `${compact(window.since)}-${compact(window.until)}`;
  return `${partitionJobId(stream, partition).replace(/^part\//, 'window/')}/${bounds}`;
}

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.000Z$/, 'Z');

/**
 * A webhook job is keyed by its stream and the end of its coalescing window: every event of one
 * window shares one job (BullMQ drops the duplicate adds), an event of a later window gets a new
 * one. A sweep's job has one fixed id per stream, so at most one of them waits at a time.
 */
export const webhookJobId = (stream: StreamName, runAtMs: number | 'sweep') => `webhook/${stream}/${runAtMs}`;
