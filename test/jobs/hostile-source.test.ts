/**
 * A hostile source against the inline runner, over HTTP into real Postgres: a contradictory page
 * fails its partition and deletes nothing, an endless cursor ends by itself in a bounded number of
 * requests, and a resume point the API rejects restarts its walk once — each table exact once the
 * source calms down.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGES_WITHOUT_PROGRESS } from '../../src/extract/paginators/progress.ts';
import type { StreamName } from '../../src/extract/streams.ts';
import { readRunReport } from '../../src/jobs/queue/run-report.ts';
import { runSync, type SyncSummary } from '../../src/jobs/run-sync.ts';
import { getState } from '../../src/load/index.ts';
import { parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { openSyncRuntime } from '../helpers/sync-harness.ts';

describe('hostile source, inline runner', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  const lines: string[] = [];

  async function sync(streams: StreamName[], signal?: AbortSignal): Promise<SyncSummary> {
    const runtime = await openSyncRuntime(sim, { databaseUrl: pg.url });
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    try {
      return await runSync(
        { db: runtime.db, client: runtime.client, locks: runtime.locks, logger },
        { streams, enrichmentRunIds: sim.enrichmentRunIds, lookbackMs: 3_600_000, concurrency: 4, signal },
      );
    } finally {
      await runtime.close();
    }
  }

  async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openSyncRuntime>>['db']) => Promise<T>) {
    const runtime = await openSyncRuntime(sim, { databaseUrl: pg.url });
    try {
      return await fn(runtime.db);
    } finally {
      await runtime.close();
    }
  }

  async function expectExact(streams: StreamName[]) {
    await withDb(async (db) => {
      for (const name of streams) {
        const diff = await diffTable(db, sim, name);
        expect(isExact(diff), describeDiff(diff)).toBe(true);
      }
    });
  }

  const stream = (s: SyncSummary, name: StreamName) => s.streams.find((x) => x.stream === name)!;
  const requestsTo = (prefix: string) => sim.requests.filter((r) => r.path.startsWith(prefix));

  beforeAll(async () => {
    sim = await startSimulator({ scale: 1000, seed: 11, rateLimit: null });
    pg = await createTestDatabase('hostile_inline');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('a contradictory page fails its partition, leaves the walk incomplete and deletes nothing', async () => {
    const streams: StreamName[] = ['lists', 'list_leads', 'campaigns', 'campaign_leads'];
    expect((await sync(streams)).status).toBe('succeeded');
    // A member gone from Puffle: a complete walk of its list would sweep it; this one must not.
    const member = [...sim.expected('list_leads')].find((e) => e.partition)!;
    const listId = member.partition;
    sim.mutate.remove('list_leads', String(member.record.id), listId);
    const prospect = [...sim.expected('campaign_leads')][0]!;
    const campaignId = prospect.partition;
    sim.mutate.remove('campaign_leads', String(prospect.record.id), campaignId);
    sim.setFaults(
      parseFaultSpec(
        `contradictory@/api/lists/${listId}/leads#1;contradictory@/api/campaigns/${campaignId}/leads#1`,
      ),
    );

    const hostile = await sync(streams);
    expect(stream(hostile, 'list_leads').status).toBe('partial');
    expect(stream(hostile, 'list_leads').error?.message).toContain('(more_without_cursor)');
    expect(stream(hostile, 'campaign_leads').status).toBe('partial');
    expect(stream(hostile, 'campaign_leads').error?.message).toContain('(total_beyond_rows)');
    expect(stream(hostile, 'lists').status).toBe('succeeded');
    await withDb(async (db) => {
      const report = await readRunReport(db, hostile.runId);
      const row = report.streams.find((r) => r.stream === 'list_leads')!;
      expect(row.errorClass).toBe('PaginationError');
      expect(row.errorMessage).toContain('more_without_cursor');
      expect((await getState(db, 'list_leads', listId))?.complete).toBe(false);
      const deleted = await db.query<{ n: number }>(
        sql`select (select count(*) from puffle.list_leads where _deleted_at is not null)::int
          + (select count(*) from puffle.campaign_leads where _deleted_at is not null)::int as n`,
      );
      expect(deleted[0]!.n).toBe(0);
    });

    sim.setFaults([]);
    expect((await sync(streams)).status).toBe('succeeded');
    await expectExact(streams);
  });

  it('an endless cursor ends with a PaginationError in a bounded number of requests; the next calm run is exact', async () => {
    sim.setFaults(parseFaultSpec('endless-cursor@/api/leads'));
    sim.resetLog();
    const hostile = await sync(['leads', 'lists']);
    const leads = stream(hostile, 'leads');
    expect(leads.status).toBe('failed');
    expect(leads.error?.name).toBe('PaginationError');
    expect(leads.error?.message).toContain('(no_progress)');
    expect(stream(hostile, 'lists').status).toBe('succeeded');
    // First page, the page repeating it, the pages the walk itself fetched before it refused: nowhere near "thousands".
    expect(requestsTo('/api/leads').length).toBeLessThanOrEqual(2 + MAX_PAGES_WITHOUT_PROGRESS);

    // The checkpoint holds a cursor the calm server never issued: rejected once, walk restarted.
    sim.setFaults([]);
    sim.resetLog();
    lines.length = 0;
    const calm = await sync(['leads', 'lists']);
    expect(calm.status).toBe('succeeded');
    expect(requestsTo('/api/leads').filter((r) => r.status === 400)).toHaveLength(1);
    expect(lines.filter((l) => l.includes('restarting this walk from the beginning'))).toHaveLength(1);
    await expectExact(['leads', 'lists']);
  });

  it('an expired resume cursor restarts its walk once, with a warning naming the stream; the table ends exact', async () => {
    // Stop a leads walk after a few pages: its checkpoint now holds a cursor.
    sim.mutate.insert('leads');
    const abort = new AbortController();
    sim.resetLog();
    const timer = setInterval(() => {
      if (requestsTo('/api/leads').length >= 3) abort.abort(new Error('SIGINT'));
    }, 2);
    sim.setLatency(20);
    const stopped = await sync(['leads'], abort.signal).finally(() => clearInterval(timer));
    sim.setLatency(0);
    expect(stopped.status).not.toBe('succeeded');
    const stored = await withDb((db) => getState(db, 'leads', ''));
    expect(stored?.resume).toMatchObject({ kind: 'cursor' });

    // Every cursor served before now has expired.
    sim.setFaults(parseFaultSpec('expired-cursor@/api/leads'));
    sim.resetLog();
    lines.length = 0;
    const resumed = await sync(['leads']);
    expect(resumed.status).toBe('succeeded');
    const leads = requestsTo('/api/leads');
    expect(leads.filter((r) => r.status === 400)).toHaveLength(1);
    expect(leads[0]).toMatchObject({ status: 400, fault: 'expired-cursor' });
    expect(leads[1]!.query.cursor).toBeUndefined();
    const warnings = lines.filter((l) => l.includes('restarting this walk from the beginning'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, stream: 'leads', status: 400 });
    sim.setFaults([]);
    await expectExact(['leads']);
  });
});
