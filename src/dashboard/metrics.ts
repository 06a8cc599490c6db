/**
 * The Prometheus view of the fleet. Values are recomputed at scrape time from Postgres and Redis
 * (see refresh in server.ts), so every dashboard replica reports the same fleet-wide totals; the
 * `_total` families grow as sync_runs gains rows and finishes runs, and never go down
 * (monotonic.ts). Runs still running are a gauge. Label values are stream, status, trigger, queue
 * and job-state names — never anything from configuration.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { registerBuildInfo } from '../build-info.ts';
import type { RunStatus } from '../load/index.ts';
import { MonotonicFamily } from './monotonic.ts';
import type { QueueDepth } from './queue-depth.ts';
import { RECORD_OUTCOMES, type WarehouseStats } from './warehouse-stats.ts';

export interface ScrapeInput {
  /** undefined when Postgres could not be read. */
  warehouse?: WarehouseStats;
  /** undefined when Redis is not configured or could not be read. */
  queues?: QueueDepth[];
  up: { postgres: boolean; redis?: boolean };
  /** Seconds past each stream's freshness target (freshness-overdue.ts). */
  freshnessOverdue?: Record<string, number>;
}

export interface DashboardMetrics {
  registry: Registry;
  /** Replaces every value with the new readings. */
  set(input: ScrapeInput): void;
}

const P = 'puffle_sync_';
/** sync_runs.status of a run or stream run not finished yet; every other status is final. */
const RUNNING = 'running';
/**
 * Exported at 0 for every trigger and stream with a run, so a first failure is a 0 → 1 step that
 * `increase()` sees, not a series that appears at 1.
 */
const FINAL_STATUSES = ['succeeded', 'failed', 'partial'] as const satisfies readonly Exclude<
  RunStatus,
  typeof RUNNING
>[];

export function createMetrics(): DashboardMetrics {
  const registry = new Registry();
  registerBuildInfo(registry, 'dashboard');
  const all: Array<Counter | Gauge> = [];
  const families: Array<() => void> = [];
  /** A counter fed with this scrape's totals; what it exports never goes down (monotonic.ts). */
  const counter = (name: string, help: string, labelNames: string[]) => {
    const c = new Counter({ name: P + name, help, labelNames, registers: [registry] });
    all.push(c);
    const family = new MonotonicFamily();
    families.push(() => {
      for (const s of family.commit()) c.inc(s.labels, s.value);
    });
    return { inc: (labels: Record<string, string>, n: number) => family.add(labels, n) };
  };
  const gauge = (name: string, help: string, labelNames: string[]) => {
    const g = new Gauge({ name: P + name, help, labelNames, registers: [registry] });
    all.push(g);
    return g;
  };

  const requests = counter(
    'requests_total',
    'HTTP requests made to Puffle, by stream and response status (network/timeout: none came back).',
    ['stream', 'status'],
  );
  const rateLimited = counter('rate_limited_total', 'HTTP 429 responses received from Puffle, by stream.', [
    'stream',
  ]);
  const retries = counter(
    'retries_total',
    'Retries of transient failures (5xx, resets, timeouts), by stream.',
    ['stream'],
  );
  const waitSeconds = counter(
    'rate_limit_wait_seconds_total',
    'Seconds spent waiting because Puffle answered 429, by stream.',
    ['stream'],
  );
  const pages = counter('pages_total', 'Pages committed to Postgres, by stream.', ['stream']);
  const records = counter(
    'records_total',
    'Records by outcome: read from the API, then inserted, updated, unchanged, deleted (soft) or rejected.',
    ['stream', 'outcome'],
  );
  const valuesDropped = counter(
    'values_dropped_total',
    "Values stored as NULL because Postgres would refuse them, plus raw strings repaired, by stream (rows' _changes).",
    ['stream'],
  );
  const streamRuns = counter('stream_runs_total', 'Finished stream runs by final status.', [
    'stream',
    'status',
  ]);
  const streamRunsRunning = gauge('stream_runs_running', 'Stream runs not finished yet, by stream.', [
    'stream',
  ]);
  const streamDuration = counter(
    'stream_run_duration_seconds_total',
    'Summed duration of finished stream runs; divide by stream_runs_total for the mean.',
    ['stream'],
  );
  const runs = counter('runs_total', 'Finished whole sync runs by trigger and final status.', [
    'trigger',
    'status',
  ]);
  const runsRunning = gauge('runs_running', 'Whole sync runs not finished yet, by trigger.', ['trigger']);
  const lastDuration = gauge(
    'last_run_duration_seconds',
    'Duration of the newest finished run of each stream; stream="*" is the whole run.',
    ['stream'],
  );
  const lastSuccess = gauge(
    'last_success_timestamp_seconds',
    'When the newest succeeded run of each stream finished (Unix time); stream="*" is the whole run.',
    ['stream'],
  );
  const partitions = gauge('partitions', 'Partitions in sync_state by state (complete, in_progress).', [
    'stream',
    'state',
  ]);
  const lastWalk = gauge(
    'last_walk_completed_timestamp_seconds',
    'When a partition walk of each stream last completed (Unix time).',
    ['stream'],
  );
  const heldDeletions = gauge(
    'held_deletions',
    'Rows the mass-delete guard holds from deletion (still live) until the next complete walk confirms or releases them, by stream.',
    ['stream'],
  );
  const queueJobs = gauge('queue_jobs', 'BullMQ jobs by queue and state, read at scrape time.', [
    'queue',
    'state',
  ]);
  const overdue = gauge(
    'freshness_overdue_seconds',
    'Seconds the newest success of each stream is past its freshness target (negative: within it); alert on > 0.',
    ['stream'],
  );
  const up = gauge('dashboard_source_up', 'Whether the dashboard could read a source (1) or not (0).', [
    'source',
  ]);

  return {
    registry,
    set(input) {
      for (const m of all) m.reset();
      up.set({ source: 'postgres' }, input.up.postgres ? 1 : 0);
      if (input.up.redis !== undefined) up.set({ source: 'redis' }, input.up.redis ? 1 : 0);
      for (const q of input.queues ?? [])
        for (const [state, count] of Object.entries(q.counts))
          queueJobs.set({ queue: q.queue, state }, count);
      for (const [stream, seconds] of Object.entries(input.freshnessOverdue ?? {}))
        overdue.set({ stream }, seconds);
      const w = input.warehouse;
      if (!w) return;
      for (const s of w.streams) {
        const stream = s.stream;
        for (const [status, n] of Object.entries(s.requestsByStatus)) requests.inc({ stream, status }, n);
        rateLimited.inc({ stream }, s.rateLimited);
        retries.inc({ stream }, s.retries);
        waitSeconds.inc({ stream }, s.rateLimitWaitSeconds);
        pages.inc({ stream }, s.pages);
        for (const outcome of RECORD_OUTCOMES) records.inc({ stream, outcome }, s.records[outcome]);
        valuesDropped.inc({ stream }, s.valuesDropped);
        for (const status of FINAL_STATUSES) streamRuns.inc({ stream, status }, 0);
        for (const [status, n] of Object.entries(s.runsByStatus))
          if (status === RUNNING) streamRunsRunning.inc({ stream }, n);
          else streamRuns.inc({ stream, status }, n);
        streamDuration.inc({ stream }, s.durationSecondsSum);
      }
      for (const trigger of new Set(w.runs.map((r) => r.trigger)))
        for (const status of FINAL_STATUSES) runs.inc({ trigger, status }, 0);
      for (const r of w.runs)
        if (r.status === RUNNING) runsRunning.inc({ trigger: r.trigger }, r.count);
        else runs.inc({ trigger: r.trigger, status: r.status }, r.count);
      for (const [stream, seconds] of Object.entries(w.lastDuration)) lastDuration.set({ stream }, seconds);
      for (const [stream, at] of Object.entries(w.lastSuccess)) lastSuccess.set({ stream }, at);
      for (const p of w.partitions)
        partitions.set({ stream: p.stream, state: p.complete ? 'complete' : 'in_progress' }, p.count);
      for (const [stream, at] of Object.entries(w.lastWalkCompleted)) lastWalk.set({ stream }, at);
      for (const s of w.streams) heldDeletions.set({ stream: s.stream }, w.heldDeletions[s.stream] ?? 0);
      for (const [stream, n] of Object.entries(w.heldDeletions)) heldDeletions.set({ stream }, n);
      for (const flush of families) flush();
    },
  };
}
