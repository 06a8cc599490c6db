/**
 * What `sync --json` prints is what sync_runs recorded, inline and queued: a stream stopped by a
 * long Retry-After still reports the pages and records it committed, and the queued summary has
 * the real partition counts and the run's fullRefresh.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { queueEnv, startWorkerProcess, type WorkerProcess } from './queue-helpers.ts';

const KEY = 'pk_live_summaryMatchesRuns01';

interface Recorded {
  stream: string;
  pages: number;
  read: number;
  partitions: number;
}

async function recorded(db: Database, runId: string): Promise<Recorded[]> {
  return db.query<Recorded>(sql`
    select r.stream, r.pages::int as pages, r.records_read::int as read,
      (select count(*)::int from puffle.sync_state s where s.run_id = r.run_id and s.stream = r.stream) as partitions
    from puffle.sync_runs r where r.run_id = ${runId} and r.stream <> '*' order by r.stream`);
}

function printed(summary: SyncSummary): Recorded[] {
  return summary.streams
    .map((s) => ({ stream: s.stream, pages: s.pages, read: s.counts.read, partitions: s.partitions }))
    .sort((a, b) => a.stream.localeCompare(b.stream));
}

describe('sync --json agrees with sync_runs', () => {
  let sim: Simulator | undefined;
  let pg: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let db: Database | undefined;
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.done;
    await db?.close();
    await sim?.close();
    await pg?.drop();
    worker = db = sim = pg = undefined;
  });

  it('inline: a stream stopped by RateLimitedError reports the pages and records it committed', async () => {
    // Six requests an hour: the seventh gets a Retry-After far beyond the longest wait allowed.
    sim = await startSimulator({
      scale: 2000,
      seed: 41,
      keys: [KEY],
      rateLimit: { limit: 6, windowMs: 3_600_000 },
    });
    pg = await createTestDatabase('summary_rate_limited');
    const res = await runCli(['sync', '--streams', 'leads', '--json', '--max-rate-limit-wait-ms', '1000'], {
      PUFFLE_API_KEY: KEY,
      PUFFLE_API_BASE_URL: sim.url,
      DATABASE_URL: pg.url,
      PUFFLE_RATE_LIMIT_PER_MIN: '60000',
    });
    expect(res.code, res.stderr).toBe(1);
    const summary = JSON.parse(res.stdout) as SyncSummary;
    expect(summary.streams[0]).toMatchObject({
      stream: 'leads',
      status: 'partial',
      error: { name: 'RateLimitedError' },
    });
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const rows = await recorded(db, summary.runId);
    expect(rows[0]!.pages).toBeGreaterThan(0);
    expect(rows[0]!.read).toBeGreaterThan(0);
    expect(printed(summary)).toEqual(rows);
    expect(summary.fullRefresh).toBe(false);
  }, 120_000);

  it('queued: --wait --json shows the partitions walked and the run is a full refresh', async () => {
    sim = await startSimulator({ scale: 300, seed: 42, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('summary_queued');
    const target = { sim, databaseUrl: pg.url, prefix: `issue20-${process.pid}-${Date.now()}`, key: KEY };
    worker = startWorkerProcess(target);
    await worker.ready;
    const streams = 'campaigns,campaign_leads';
    const res = await runCli(
      ['sync', '--queue', '--wait', '--json', '--full-refresh', '--streams', streams],
      {
        ...queueEnv(target),
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as SyncSummary;
    expect(summary.fullRefresh).toBe(true);
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const rows = await recorded(db, summary.runId);
    expect(printed(summary)).toEqual(rows);
    const prospects = rows.find((r) => r.stream === 'campaign_leads')!;
    expect(prospects.partitions).toBe(sim.partitions('campaign_leads').length);
    expect(prospects.partitions).toBeGreaterThan(1);
  }, 120_000);
});
