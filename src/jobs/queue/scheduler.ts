/**
 * The nightly schedule: one BullMQ job scheduler with a fixed id. `upsertJobScheduler` is an
 * upsert keyed by that id, so N processes calling it at once (every replica at boot) still leave
 * exactly one scheduler, and BullMQ creates the next run only when the current one starts.
 * Options are validated before anything is written to the queue.
 */
import { defaultRepeatStrategy, type Queue } from 'bullmq';
import { ConfigError } from '../../config/config-error.ts';
import { DEFAULT_STREAMS, type StreamName } from '../../extract/streams.ts';
import { RUN_JOB_OPTIONS } from './enqueue.ts';
import type { RunJobData } from './types.ts';

export const SCHEDULER_ID = 'puffle-sync-scheduled';

export interface ScheduleOptions {
  /** Cron pattern, 5 fields (or 6 with seconds). @default PUFFLE_SYNC_SCHEDULE ('0 2 * * *') */
  cron: string;
  /** IANA time zone of the pattern. @default 'UTC' */
  tz?: string;
  streams?: readonly StreamName[];
}

export interface ScheduleInfo {
  id: string;
  cron: string | undefined;
  tz: string | undefined;
  next: number | undefined;
}

export async function upsertSchedule(queue: Queue, opts: ScheduleOptions): Promise<ScheduleInfo> {
  const fields = opts.cron.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    throw new ConfigError(`--cron must have 5 fields (or 6 with seconds), got ${JSON.stringify(opts.cron)}`);
  }
  const tz = opts.tz ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ConfigError(
      `--tz must be an IANA time zone like UTC or Europe/Paris, got ${JSON.stringify(tz)}`,
    );
  }
  try {
    // The same parser BullMQ uses, run before anything is written to the queue.
    defaultRepeatStrategy(Date.now(), { pattern: opts.cron.trim(), tz });
  } catch (err) {
    throw new ConfigError(
      `--cron ${JSON.stringify(opts.cron)} is not a valid cron pattern: ${(err as Error).message}`,
    );
  }
  const data: RunJobData = { trigger: 'schedule', streams: [...(opts.streams ?? DEFAULT_STREAMS)] };
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: opts.cron.trim(), tz },
    { name: 'run', data, opts: RUN_JOB_OPTIONS },
  );
  return (await getSchedule(queue))!;
}

export async function removeSchedule(queue: Queue): Promise<boolean> {
  return queue.removeJobScheduler(SCHEDULER_ID);
}

export async function getSchedule(queue: Queue): Promise<ScheduleInfo | undefined> {
  const s = await queue.getJobScheduler(SCHEDULER_ID);
  if (!s) return undefined;
  return { id: SCHEDULER_ID, cron: s.pattern ?? undefined, tz: s.tz ?? undefined, next: s.next ?? undefined };
}
