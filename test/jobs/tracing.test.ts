/**
 * OpenTelemetry traces of a queued run — real Redis, Postgres and simulator, a worker in this
 * process, spans caught by an in-memory exporter: enqueue → run job → stream jobs → partition
 * jobs → one span per HTTP request and per page commit, each linked to its parent; no attribute
 * carries the API key, a query string or a record value. Off, nothing is written into job data.
 */
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enqueueRun,
  followRun,
  openSyncQueue,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { tracingRequested } from '../../src/tracing-env.ts';
import { startTracing, type Tracing } from '../../src/tracing-sdk.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';
import { type QueueTarget, queueConfig, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_tracingTestKey012345';
const STREAMS = ['account', 'campaigns', 'campaign_leads'] as const;

describe('tracing environment (the SDK conventions)', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }, true],
  ])('%j → %s', (env, on) => {
    expect(tracingRequested(env)).toBe(on);
  });
});

describe('a traced queued run', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let target: QueueTarget;
  let worker: SyncWorker | undefined;
  let tracing: Tracing | undefined;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    sim = await startSimulator({ scale: 40, seed: 3, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('tracing');
    target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('trace'), key: KEY };
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    sq = openSyncQueue(queueConfig(target));
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await tracing?.shutdown();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.close();
    await pg?.drop();
    await sim?.close();
  });

  it('with tracing off, job data carries no trace context', async () => {
    const runId = await enqueueRun(sq.queue, { streams: ['account'] });
    const job = (await sq.queue.getJobs(['waiting', 'prioritized'])).find((j) => j.data.runId === runId);
    expect(job?.data).toBeDefined();
    expect(job!.data.trace).toBeUndefined();
    await sq.queue.obliterate({ force: true });
  });

  it('links enqueue → run → stream → partition → request / page commit, with no secret or value', async () => {
    tracing = startTracing(new SimpleSpanProcessor(exporter));
    worker = await startSyncWorker({ config: queueConfig(target), logger: silentLogger, concurrency: 3 });
    sim.setFaults([{ kind: '500', path: '/api/campaigns', nth: [1] }]);
    sim.resetLog();
    const runId = await enqueueRun(sq.queue, { streams: [...STREAMS] });
    expect((await followRun(db, runId, { pollMs: 100 })).status).toBe('succeeded');
    // The run job's finish step ends just after the run's row is closed.
    const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
    await waitFor(() => named('puffle.job.run').length === 2, 10_000, 'the run job to finish');

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);

    const [enqueue] = named('puffle.run.enqueue');
    expect(enqueue?.parentSpanContext).toBeUndefined();
    expect(enqueue!.attributes['puffle.run_id']).toBe(runId);
    const runs = named('puffle.job.run');
    for (const r of runs) expect(parentOf(r)).toBe(enqueue);
    const fanout = runs.find((r) => r.attributes['puffle.job.step'] === undefined)!;
    expect(fanout).toBeDefined();

    const streams = named('puffle.job.stream');
    expect(new Set(streams.map((s) => s.attributes['puffle.stream']))).toEqual(new Set(STREAMS));
    for (const s of streams) expect(parentOf(s), String(s.attributes['puffle.stream'])).toBe(fanout);

    const partitions = named('puffle.job.partition');
    expect(partitions.filter((p) => p.attributes['puffle.stream'] === 'campaign_leads').length).toBe(
      sim.partitions('campaign_leads').length,
    );
    for (const p of partitions) {
      const parent = parentOf(p)!;
      expect(parent.name).toBe('puffle.job.stream');
      expect(parent.attributes['puffle.stream']).toBe(p.attributes['puffle.stream']);
    }

    // One span per request: every answer the simulator gave is under exactly one partition.
    const gets = named('GET');
    expect(gets.length + 1).toBe(sim.requests.length); // the retried 500 is inside one span
    for (const g of gets) {
      const parent = parentOf(g)!;
      expect(parent.name).toBe('puffle.job.partition');
      expect(g.attributes['puffle.stream']).toBe(parent.attributes['puffle.stream']);
      expect(g.attributes['http.response.status_code']).toBe(200);
    }
    const retried = gets.filter((g) => g.attributes['puffle.request.retries'] === 1);
    expect(retried.map((g) => g.attributes['url.path'])).toEqual(['/api/campaigns']);

    const commits = named('puffle.page.commit');
    // sync_runs counts every committed page of the run's streams.
    const [{ pages }] = (await db.query<{ pages: number }>(
      sql`select sum(pages)::int as pages from puffle.sync_runs where run_id = ${runId} and stream <> '*'`,
    )) as [{ pages: number }];
    expect(commits.length).toBe(pages);
    for (const c of commits) expect(parentOf(c)!.name).toBe('puffle.job.partition');
    expect(commits.every((c) => c.status.code !== 2)).toBe(true);

    // Nothing secret or from the records: no key, no query string, no campaign name.
    const names = new Set([...sim.expected('campaigns')].map((e) => String(e.record.name)));
    for (const s of spans)
      for (const [attr, value] of Object.entries(s.attributes)) {
        const text = String(value);
        expect(text, `${s.name} ${attr}`).not.toContain(KEY);
        expect(text, `${s.name} ${attr}`).not.toContain('pk_live_');
        expect(text, `${s.name} ${attr}`).not.toContain('?');
        expect(names.has(text), `${s.name} ${attr}`).toBe(false);
      }
  });
  it('an inline sync is one trace: its requests and page commits under puffle.run.inline', async () => {
    tracing ??= startTracing(new SimpleSpanProcessor(exporter));
    sim.setFaults([]);
    exporter.reset();
    sim.resetLog();
    const inline = await createTestDatabase('tracing_inline');
    try {
      const summary = await syncOnce(
        sim,
        { databaseUrl: inline.url },
        { streams: ['account', 'campaigns'], key: KEY },
      );
      expect(summary.status).toBe('succeeded');
    } finally {
      await inline.drop();
    }
    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.parentSpanContext === undefined);
    expect(roots.map((s) => s.name)).toEqual(['puffle.run.inline']);
    const gets = spans.filter((s) => s.name === 'GET');
    expect(gets.length).toBe(sim.requests.length);
    expect(spans.filter((s) => s.name === 'puffle.page.commit').length).toBeGreaterThanOrEqual(2);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });
});
