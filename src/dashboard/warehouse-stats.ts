/**
 * What the dashboard reads from the warehouse at scrape time, through load (sync_runs, sync_state
 * and held_deletions summed for the whole fleet: every worker writes there, so any number of
 * dashboards report the same figures), shaped for /metrics.
 */
import {
  type DatabaseReader,
  isUndefinedTable,
  type RunTotals,
  readHeldByStream,
  readRunTotals,
  readWalkTotals,
} from '../load/index.ts';

export const RECORD_OUTCOMES = ['read', 'inserted', 'updated', 'unchanged', 'deleted', 'rejected'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export interface StreamTotals {
  stream: string;
  pages: number;
  requests: number;
  /**
   * The same requests by HTTP status (`network` / `timeout` when none came back); requests
   * recorded before sync_runs had per-status counters appear as `unknown`.
   */
  requestsByStatus: Record<string, number>;
  rateLimited: number;
  retries: number;
  rateLimitWaitSeconds: number;
  records: Record<RecordOutcome, number>;
  /** sync_runs.values_dropped summed: entries written to rows' `_changes`. */
  valuesDropped: number;
  /** Finished stream runs by status. */
  runsByStatus: Record<string, number>;
  /** Sum of the durations of finished runs. */
  durationSecondsSum: number;
}

export interface WarehouseStats {
  streams: StreamTotals[];
  /** Whole runs (the run rows) by trigger and status, running ones included. */
  runs: Array<{ trigger: string; status: string; count: number }>;
  /** Newest succeeded run per stream (and `'*'` for whole runs), epoch seconds. */
  lastSuccess: Record<string, number>;
  /** Duration of the newest finished run per stream (and `'*'`), seconds. */
  lastDuration: Record<string, number>;
  partitions: Array<{ stream: string; complete: boolean; count: number }>;
  /** Newest completed walk per stream, epoch seconds. */
  lastWalkCompleted: Record<string, number>;
  /** Rows the mass-delete guard holds from deletion now, per stream (held_deletions). */
  heldDeletions: Record<string, number>;
}

/** Empty stats (not an error) when the tables do not exist yet: nobody has migrated. */
export async function readWarehouseStats(reader: DatabaseReader): Promise<WarehouseStats> {
  try {
    const [runs, walks, held] = await Promise.all([
      readRunTotals(reader),
      readWalkTotals(reader),
      readHeldByStream(reader),
    ]);
    return {
      streams: sumStreams(runs),
      runs: runs.runs,
      lastSuccess: runs.lastSuccess,
      lastDuration: runs.lastDuration,
      partitions: walks.map((r) => ({ stream: r.stream, complete: r.complete, count: r.count })),
      lastWalkCompleted: newestPerStream(walks),
      heldDeletions: held,
    };
  } catch (err) {
    if (isUndefinedTable(err)) return emptyStats();
    throw err;
  }
}

function sumStreams({ streams, requestsByStatus, valuesDropped }: RunTotals): StreamTotals[] {
  const byStream = new Map<string, StreamTotals>();
  for (const r of streams) {
    let t = byStream.get(r.stream);
    if (!t) {
      t = {
        stream: r.stream,
        pages: 0,
        requests: 0,
        requestsByStatus: {},
        rateLimited: 0,
        retries: 0,
        rateLimitWaitSeconds: 0,
        records: { read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 },
        valuesDropped: 0,
        runsByStatus: {},
        durationSecondsSum: 0,
      };
      byStream.set(r.stream, t);
    }
    t.pages += r.pages;
    t.requests += r.requests;
    t.rateLimited += r.rateLimited;
    t.retries += r.retries;
    t.rateLimitWaitSeconds += r.rateLimitWaitSeconds;
    for (const outcome of RECORD_OUTCOMES) t.records[outcome] += r[outcome];
    t.runsByStatus[r.status] = (t.runsByStatus[r.status] ?? 0) + r.runs;
    t.durationSecondsSum += r.duration;
  }
  for (const r of requestsByStatus) {
    const t = byStream.get(r.stream);
    if (t) t.requestsByStatus[r.status] = r.n;
  }
  for (const r of valuesDropped) {
    const t = byStream.get(r.stream);
    if (t) t.valuesDropped = r.n;
  }
  for (const t of byStream.values()) {
    const counted = Object.values(t.requestsByStatus).reduce((a, b) => a + b, 0);
    if (t.requests > counted) t.requestsByStatus.unknown = t.requests - counted;
  }
  return [...byStream.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

function newestPerStream(rows: Array<{ stream: string; at: number | null }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.at !== null && !(r.at <= (out[r.stream] ?? -1))) out[r.stream] = r.at;
  return out;
}

export function emptyStats(): WarehouseStats {
  return {
    streams: [],
    runs: [],
    lastSuccess: {},
    lastDuration: {},
    partitions: [],
    lastWalkCompleted: {},
    heldDeletions: {},
  };
}
