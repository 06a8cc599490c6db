/**
 * The one status report: what `puffle-sync status` prints (text or --json), what the dashboard's
 * /api/status serves and its page draws. Per stream: health against its freshness target, last
 * success, rows live and deleted, held deletions, rows with dropped values, rejected records, the newest error (redacted
 * again here: rows written by older versions were stored before today's redaction rules) and the
 * command that resumes it; the newest whole runs with their counters; the queue when there is one.
 */
import type { Queue } from 'bullmq';
import { type FreshnessTargets, freshnessTargetOf } from '../../config/freshness.ts';
import { DEFAULT_STREAMS, getStream, STREAM_NAMES, type StreamName } from '../../extract/streams.ts';
import {
  type DatabaseReader,
  listHeldDeletions,
  type RecentRun,
  readRecentRuns,
  readRowCounts,
  readStreamRunFacts,
  type StreamRunFacts,
} from '../../load/index.ts';
import { redactSecrets } from '../../log.ts';
import { readQueueJobs } from '../queue/index.ts';
import { resumeCommand } from './resume-command.ts';

/**
 * - `failed`: the stream's newest run failed (or ended partial);
 * - `running`: a run of it is under way;
 * - `stale`: its last success is older than its target;
 * - `never`: it has never succeeded;
 * - `fresh`: within its target.
 */
export type StreamHealth = 'failed' | 'running' | 'stale' | 'never' | 'fresh';

/** Whether the configured selection (PUFFLE_SYNC_STREAMS / --streams) syncs the stream. */
export type StreamSelection = 'on' | 'off' | 'off (opt-in)';

export interface StreamStatus {
  stream: StreamName;
  selected: StreamSelection;
  health: StreamHealth;
  lastSuccessAt: string | null;
  /** Seconds since the last successful run of the stream finished. */
  ageSeconds: number | null;
  freshness: {
    targetSeconds: number;
    /** age − target: positive = stale by that much; null = never succeeded. */
    overdueSeconds: number | null;
  };
  rows: number;
  deletedRows: number;
  /** Rows the mass-delete guard holds from deletion (still live) until the next complete walk. */
  heldDeletions: number;
  /** Live rows whose `_changes` is not empty: a value was dropped or `raw` repaired when they were last written. */
  rowsWithChanges: number;
  /** Rows of rejected_records for the stream. */
  rejectedRecords: number;
  lastRun: StreamRunFacts['lastRun'];
  lastError: StreamRunFacts['lastError'];
  /** When the newest run failed: the command that continues the stream from its checkpoints. */
  resumeCommand: string | null;
  /** Present only when a queue backend is configured. */
  queue?: { active: number; waiting: number };
}

export interface StatusReport {
  generatedAt: string;
  streams: StreamStatus[];
  /** The newest whole runs, newest first. */
  runs: RecentRun[];
  /** Jobs of every kind by state; present only when a queue backend is configured. */
  queue?: Record<string, number>;
}

export interface CollectStatusOptions {
  queue?: Queue;
  freshness?: FreshnessTargets;
  /** How many recent runs to report. @default 20 */
  runs?: number;
  /** The streams a sync runs (PUFFLE_SYNC_STREAMS). @default every stream but the opt-in ones */
  streams?: readonly StreamName[];
}

export const RECENT_RUNS = 20;

export async function collectStatus(
  reader: DatabaseReader,
  opts: CollectStatusOptions = {},
): Promise<StatusReport> {
  const [facts, counts, runs, holds, jobs] = await Promise.all([
    readStreamRunFacts(reader),
    readRowCounts(reader),
    readRecentRuns(reader, opts.runs ?? RECENT_RUNS),
    listHeldDeletions(reader),
    opts.queue ? readQueueJobs(opts.queue) : undefined,
  ]);
  const held = new Map<string, number>();
  for (const h of holds) held.set(h.stream, (held.get(h.stream) ?? 0) + h.held);
  const selection = new Set(opts.streams ?? DEFAULT_STREAMS);
  const streams = STREAM_NAMES.map((stream): StreamStatus => {
    const f = facts.get(stream);
    const c = counts.get(stream);
    const targetSeconds = freshnessTargetOf(opts.freshness, stream);
    const ageSeconds = f?.ageSeconds ?? null;
    const lastRun = f?.lastRun ?? null;
    const health = healthOf(lastRun?.status, ageSeconds, targetSeconds);
    return {
      stream,
      selected: selection.has(stream) ? 'on' : getStream(stream).optIn ? 'off (opt-in)' : 'off',
      health,
      lastSuccessAt: f?.lastSuccessAt ?? null,
      ageSeconds,
      freshness: { targetSeconds, overdueSeconds: ageSeconds === null ? null : ageSeconds - targetSeconds },
      rows: c?.live ?? 0,
      deletedRows: c?.deleted ?? 0,
      heldDeletions: held.get(stream) ?? 0,
      rowsWithChanges: c?.withChanges ?? 0,
      rejectedRecords: c?.rejected ?? 0,
      lastRun,
      lastError: f?.lastError ? { ...f.lastError, message: redactSecrets(f.lastError.message) } : null,
      resumeCommand: health === 'failed' ? resumeCommand(stream, { queued: Boolean(opts.queue) }) : null,
      ...(jobs ? { queue: jobs.byStream.get(stream) ?? { active: 0, waiting: 0 } } : {}),
    };
  });
  return {
    generatedAt: new Date().toISOString(),
    streams,
    runs: runs.map((r) =>
      r.error ? { ...r, error: { ...r.error, message: redactSecrets(r.error.message) } } : r,
    ),
    ...(jobs ? { queue: jobs.counts } : {}),
  };
}

function healthOf(lastStatus: string | undefined, age: number | null, target: number): StreamHealth {
  if (lastStatus === 'failed' || lastStatus === 'partial') return 'failed';
  if (lastStatus === 'running') return 'running';
  if (age === null) return 'never';
  return age > target ? 'stale' : 'fresh';
}
