/**
 * `puffle-sync status`: per stream, what Postgres knows (last successful run and its age, rows,
 * soft-deleted rows, rows with dropped values, deletions held by the mass-delete guard, last error,
 * rate-limit wait and values dropped in the last run) and, when Redis is configured,
 * what the queue holds (partition jobs in flight and waiting for the stream, total queue depth).
 */
import type { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { STREAM_NAMES, type StreamName } from '../../extract/streams.ts';
import { type Database, listHeldDeletions } from '../../load/index.ts';
import type { PartitionJobData } from './types.ts';

export interface StreamStatus {
  stream: StreamName;
  lastSuccessAt: string | null;
  /** Seconds since the last successful run of the stream finished. */
  ageSeconds: number | null;
  rows: number;
  deletedRows: number;
  /** Live rows whose `_changes` is not empty: a value was dropped or `raw` repaired when they were last written. */
  rowsWithChanges: number;
  lastRun: {
    runId: string;
    status: string;
    finishedAt: string | null;
    rateLimitWaitSeconds: number;
    /** sync_runs.values_dropped of that run. */
    valuesDropped: number;
  } | null;
  /** Rows the mass-delete guard holds from deletion (still live) until the next complete walk. */
  heldDeletions: number;
  lastError: { name: string; message: string; at: string | null } | null;
  /** Present only when Redis is configured. */
  queue?: { active: number; waiting: number };
}

export interface StatusReport {
  streams: StreamStatus[];
  /** Jobs of every kind by state; present only when Redis is configured. */
  queue?: Record<string, number>;
}

const ISO = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);

export async function collectStatus(db: Database, queue?: Queue): Promise<StatusReport> {
  const runs = db.tables.sync_runs;
  const [success, latest, errors, counts, holds] = await Promise.all([
    db.query<{ stream: string; at: string; age: number }>(sql`
      select stream, ${ISO('max(finished_at)')} as at, extract(epoch from now() - max(finished_at))::float8 as age
      from ${runs} where status = 'succeeded' and stream <> '*' group by stream`),
    db.query<{
      stream: string;
      runId: string;
      status: string;
      finishedAt: string | null;
      wait: number;
      dropped: number;
    }>(sql`
      select distinct on (stream) stream, run_id as "runId", status, ${ISO('finished_at')} as "finishedAt",
        rate_limit_wait_seconds::float8 as wait, values_dropped::int as dropped
      from ${runs} where stream <> '*' order by stream, started_at desc`),
    db.query<{ stream: string; name: string; message: string; at: string | null }>(sql`
      select distinct on (stream) stream, error_class as name, coalesce(error_message, '') as message,
        ${ISO('coalesce(finished_at, started_at)')} as at
      from ${runs} where stream <> '*' and error_class is not null order by stream, started_at desc`),
    Promise.all(
      STREAM_NAMES.map(async (stream) => {
        const [row] = await db.query<{ live: number; deleted: number; changed: number }>(sql`
          select count(*) filter (where _deleted_at is null)::int as live,
            count(*) filter (where _deleted_at is not null)::int as deleted,
            count(*) filter (where _deleted_at is null and _changes <> '[]'::jsonb)::int as changed
          from ${db.tables.streams[stream]}`);
        return { stream, live: row?.live ?? 0, deleted: row?.deleted ?? 0, changed: row?.changed ?? 0 };
      }),
    ),
    listHeldDeletions(db),
  ]);
  const jobs = queue ? await queueByStream(queue) : undefined;
  const streams = STREAM_NAMES.map((stream): StreamStatus => {
    const ok = success.find((r) => r.stream === stream);
    const last = latest.find((r) => r.stream === stream);
    const err = errors.find((r) => r.stream === stream);
    const c = counts.find((r) => r.stream === stream);
    return {
      stream,
      lastSuccessAt: ok?.at ?? null,
      ageSeconds: ok ? Math.round(ok.age) : null,
      rows: c?.live ?? 0,
      deletedRows: c?.deleted ?? 0,
      rowsWithChanges: c?.changed ?? 0,
      heldDeletions: holds.filter((h) => h.stream === stream).reduce((n, h) => n + h.held, 0),
      lastRun: last
        ? {
            runId: last.runId,
            status: last.status,
            finishedAt: last.finishedAt,
            rateLimitWaitSeconds: last.wait,
            valuesDropped: last.dropped,
          }
        : null,
      lastError: err ? { name: err.name, message: err.message, at: err.at } : null,
      ...(jobs ? { queue: jobs.byStream.get(stream) ?? { active: 0, waiting: 0 } } : {}),
    };
  });
  return { streams, ...(jobs ? { queue: jobs.counts } : {}) };
}

const SCAN_LIMIT = 10_000;

async function queueByStream(queue: Queue) {
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

export function formatStatus(report: StatusReport): string {
  const withQueue = report.queue !== undefined;
  const head = [
    'stream',
    'last success',
    'age',
    'rows',
    'deleted',
    'held',
    'last run',
    '429 wait',
    'dropped',
    ...(withQueue ? ['active', 'queued'] : []),
  ];
  const rows = report.streams.map((s) => [
    s.stream,
    s.lastSuccessAt ?? 'never',
    s.ageSeconds === null ? '-' : formatAge(s.ageSeconds),
    String(s.rows),
    String(s.deletedRows),
    String(s.heldDeletions),
    s.lastRun?.status ?? '-',
    s.lastRun ? `${s.lastRun.rateLimitWaitSeconds.toFixed(1)}s` : '-',
    s.lastRun ? String(s.lastRun.valuesDropped) : '-',
    ...(withQueue ? [String(s.queue?.active ?? 0), String(s.queue?.waiting ?? 0)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of report.streams) {
    if (s.rowsWithChanges > 0)
      out.push(
        `${s.stream}: ${s.rowsWithChanges} row(s) with a value dropped or repaired (their _changes column says which and why)`,
      );
    if (s.heldDeletions > 0)
      out.push(
        `${s.stream}: ${s.heldDeletions} deletions held by the mass-delete guard; the next complete walk applies or releases them (sync --accept-mass-deletes applies them now)`,
      );
    if (s.lastError)
      out.push(`${s.stream}: last error ${s.lastError.at ?? ''} ${s.lastError.name}: ${s.lastError.message}`);
  }
  if (report.queue) {
    out.push(
      `queue: ${Object.entries(report.queue)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  } else {
    out.push('queue: REDIS_URL not set (Postgres only)');
  }
  return out.join('\n');
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}
