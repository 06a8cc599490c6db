/**
 * An inline `sync --full-refresh` SIGKILLed mid-run is continued by the next `sync`, not started
 * over: walks the run completed are not fetched again, the walk in flight resumes from its last
 * committed page, and the run stays a full refresh whichever command continues it.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getStream, type StreamName } from '../../src/extract/streams.ts';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { type Database, openDatabase, startRun } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { openSyncRuntime, syncOnce } from '../helpers/sync-harness.ts';

const KEY = 'pk_live_fullRefreshKey0123456789';

interface WalkState {
  runId: string | null;
  pages: number;
  complete: boolean;
}

describe('inline --full-refresh interrupted by SIGKILL', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  const env = () => ({
    PUFFLE_API_KEY: KEY,
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: pg.url,
    PUFFLE_RATE_LIMIT_PER_MIN: '60000',
  });

  beforeEach(async () => {
    sim = await startSimulator({ scale: 2000, seed: 31, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('full_refresh_resume');
  });
  afterEach(async () => {
    await db?.close();
    await sim?.close();
    await pg?.drop();
  });

  /** Starts the CLI and SIGKILLs it once `atLeast` requests matched `path`; fails if it ended first. */
  async function killDuring(args: string[], path: RegExp, atLeast: number): Promise<void> {
    sim.setLatency(20);
    const { child, done } = startCli(args, env());
    const matching = () => sim.requests.filter((r) => path.test(r.path)).length;
    while (matching() < atLeast && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    const res = await done;
    expect(res.signal, `the run ended before the kill: ${res.stderr}`).toBe('SIGKILL');
    sim.setLatency(0);
  }

  async function interruptedRun(): Promise<{ run_id: string; full_refresh: boolean }> {
    const rows = await db.query<{ run_id: string; full_refresh: boolean }>(
      sql`select run_id, full_refresh from puffle.sync_runs where stream = '*' and status = 'running'`,
    );
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function walkStates(streams: readonly StreamName[]): Promise<Map<string, WalkState>> {
    const rows = await db.query<WalkState & { stream: string; partition: string }>(
      sql`select stream, partition, run_id as "runId", pages, complete from puffle.sync_state
          where stream = any(${sql.param([...streams])}::text[])`,
    );
    return new Map(rows.map((r) => [`${r.stream}/${r.partition}`, r]));
  }

  /** Successful requests since the last resetLog, per walk (`stream/partition`). */
  function requestsPerWalk(streams: readonly StreamName[]): Record<string, number> {
    const patterns = streams.map((name) => ({
      name,
      re: new RegExp(`^${getStream(name).path.replace(/\{[^}]+\}/, '([^/]+)')}$`),
    }));
    const counts: Record<string, number> = {};
    for (const r of sim.requests) {
      if (r.status !== 200) continue;
      for (const { name, re } of patterns) {
        const m = re.exec(r.path);
        if (!m) continue;
        const walk = `${name}/${m[1] ?? ''}`;
        counts[walk] = (counts[walk] ?? 0) + 1;
      }
    }
    return counts;
  }

  /**
   * What a continued run fetches: a walk its run completed before the kill, nothing; a walk in
   * flight, the pages after its checkpoint; a walk it had not reached, every page.
   */
  function expectedRequests(
    atKill: Map<string, WalkState>,
    final: Map<string, WalkState>,
    runId: string,
  ): Record<string, number> {
    const expected: Record<string, number> = {};
    for (const [walk, end] of final) {
      const before = atKill.get(walk);
      const n = end.pages - (before?.runId === runId ? before.pages : 0);
      if (n > 0) expected[walk] = n;
    }
    return expected;
  }

  async function expectExact(streams: readonly StreamName[]): Promise<void> {
    const bad: string[] = [];
    for (const name of streams) {
      const d = await diffTable(db, sim, name);
      if (!isExact(d)) bad.push(describeDiff(d));
    }
    expect(bad).toEqual([]);
  }

  it('continues on the next --full-refresh: same run, no committed page fetched again, tables exact', async () => {
    const streams: StreamName[] = ['campaigns', 'campaign_leads', 'leads'];
    expect((await syncOnce(sim, { databaseUrl: pg.url }, { streams })).status).toBe('succeeded');
    // Changes only a complete re-walk notices, including deletes its sweep must get right after a resume.
    const leads = [...sim.expected('leads')].map((e) => String(e.record.id));
    sim.mutate.remove('leads', leads[3]!);
    sim.mutate.remove('leads', leads[leads.length - 5]!);
    sim.mutate.update('leads', leads[leads.length - 50]!, { title: 'Head of Resumption' });
    const prospect = [...sim.expected('campaign_leads')][7]!;
    sim.mutate.remove('campaign_leads', String(prospect.record.id), prospect.partition);

    const args = ['sync', '--full-refresh', '--streams', streams.join(','), '--json'];
    sim.resetLog();
    await killDuring(args, /^\/api\/leads$/, 8);
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const run = await interruptedRun();
    expect(run.full_refresh).toBe(true);
    const atKill = await walkStates(streams);
    const leadsAtKill = atKill.get('leads/')!;
    expect(leadsAtKill).toMatchObject({ runId: run.run_id, complete: false });
    expect(leadsAtKill.pages).toBeGreaterThan(0);

    sim.resetLog();
    const again = await runCli(args, env());
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as SyncSummary;
    expect(summary).toMatchObject({ runId: run.run_id, status: 'succeeded', fullRefresh: true });
    const final = await walkStates(streams);
    expect(final.get('leads/')).toMatchObject({ runId: run.run_id, complete: true });
    expect(requestsPerWalk(streams)).toEqual(expectedRequests(atKill, final, run.run_id));
    expect(sim.requests.some((r) => r.path === '/api/leads' && !r.query.cursor)).toBe(false);
    await expectExact(streams);
  });

  it('is finished as a full refresh by a plain sync, so walks the crash left unreached are not skipped', async () => {
    const streams: StreamName[] = ['threads', 'thread_messages'];
    expect((await syncOnce(sim, { databaseUrl: pg.url }, { streams })).status).toBe('succeeded');
    // An edited message leaves its thread's last_message_at alone: only a full refresh re-walks it.
    const firstOfThread = new Map<string, string>();
    for (const { partition, record } of sim.expected('thread_messages'))
      if (!firstOfThread.has(partition)) firstOfThread.set(partition, String(record.id));
    for (const [thread, message] of firstOfThread)
      sim.mutate.update('thread_messages', message, { body_text: 'edited after the last sync' }, thread);

    sim.resetLog();
    await killDuring(
      ['sync', '--full-refresh', '--streams', streams.join(','), '--json'],
      /^\/api\/threads\/[^/]+\/messages$/,
      10,
    );
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const run = await interruptedRun();
    const atKill = await walkStates(streams);
    const unreached = sim
      .partitions('thread_messages')
      .filter((p) => atKill.get(`thread_messages/${p}`)?.runId !== run.run_id);
    expect(unreached.length, 'the kill must leave thread walks unreached').toBeGreaterThan(0);

    sim.resetLog();
    const plain = await runCli(['sync', '--streams', streams.join(','), '--json'], env());
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('continuing an interrupted --full-refresh run');
    const summary = JSON.parse(plain.stdout) as SyncSummary;
    expect(summary).toMatchObject({ runId: run.run_id, status: 'succeeded', fullRefresh: true });
    const final = await walkStates(streams);
    for (const p of sim.partitions('thread_messages'))
      expect(final.get(`thread_messages/${p}`), p).toMatchObject({ runId: run.run_id, complete: true });
    expect(requestsPerWalk(streams)).toEqual(expectedRequests(atKill, final, run.run_id));
    await expectExact(streams);
  });
  it('skips the finished walk of an incremental stream (signals) when a plain sync continues it', async () => {
    const streams: StreamName[] = ['signals', 'leads'];
    expect((await syncOnce(sim, { databaseUrl: pg.url }, { streams })).status).toBe('succeeded');
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });

    sim.resetLog();
    sim.setLatency(20);
    const { child, done } = startCli(
      ['sync', '--full-refresh', '--streams', streams.join(','), '--json'],
      env(),
    );
    // Kill once the run finished its signals walk while leads is still being walked.
    for (;;) {
      if (child.exitCode !== null) break;
      const rows = await db.query<{ stream: string; complete: boolean }>(
        sql`select s.stream, s.complete from puffle.sync_state s join puffle.sync_runs r
            on r.run_id = s.run_id and r.stream = '*' and r.status = 'running' and r.full_refresh`,
      );
      const signalsDone = rows.some((r) => r.stream === 'signals' && r.complete);
      if (signalsDone && rows.some((r) => r.stream === 'leads' && !r.complete)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect((await done).signal, 'the run ended before the kill').toBe('SIGKILL');
    sim.setLatency(0);
    const run = await interruptedRun();
    const atKill = await walkStates(streams);
    expect(atKill.get('signals/')).toMatchObject({ runId: run.run_id, complete: true });

    sim.resetLog();
    const plain = await runCli(['sync', '--streams', streams.join(','), '--json'], env());
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({
      runId: run.run_id,
      status: 'succeeded',
      fullRefresh: true,
    });
    expect(sim.requests.filter((r) => r.path === '/api/signals')).toEqual([]);
    const final = await walkStates(streams);
    expect(requestsPerWalk(streams)).toEqual(expectedRequests(atKill, final, run.run_id));
    await expectExact(streams);
  }, 120_000);
});

describe('inline --full-refresh after an interrupted plain sync', () => {
  it('starts a run of its own and closes the plain one as failed', async () => {
    const sim = await startSimulator({ scale: 100, seed: 32, rateLimit: null });
    const pg = await createTestDatabase('full_refresh_fresh');
    try {
      const streams: StreamName[] = ['campaigns'];
      // What a SIGKILLed plain `sync` leaves behind: its run row still `running`.
      const runtime = await openSyncRuntime(sim, { databaseUrl: pg.url });
      const stale = await startRun(runtime.db, { trigger: 'manual', streams }).finally(() => runtime.close());

      const summary = await syncOnce(sim, { databaseUrl: pg.url }, { streams, fullRefresh: true });
      expect(summary.status).toBe('succeeded');
      expect(summary.runId).not.toBe(stale);
      const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
      try {
        const runs = await db.query<{ run_id: string; status: string; full_refresh: boolean }>(
          sql`select run_id, status, full_refresh from puffle.sync_runs where stream = '*' order by started_at`,
        );
        expect(runs).toEqual([
          { run_id: stale, status: 'failed', full_refresh: false },
          { run_id: summary.runId, status: 'succeeded', full_refresh: true },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      await sim.close();
      await pg.drop();
    }
  });
});

describe('inline --full-refresh stopped by the user (SIGINT)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  const streams: StreamName[] = ['campaigns', 'campaign_leads'];

  beforeEach(async () => {
    sim = await startSimulator({ scale: 1500, seed: 32, rateLimit: null });
    pg = await createTestDatabase('full_refresh_stop');
    expect((await syncOnce(sim, { databaseUrl: pg.url }, { streams })).status).toBe('succeeded');
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await sim?.close();
    await pg?.drop();
  });

  /** A full refresh whose signal aborts (as SIGINT does) after `atLeast` campaign_leads requests. */
  async function stoppedFullRefresh(atLeast: number): Promise<SyncSummary> {
    sim.resetLog();
    sim.setLatency(10);
    const abort = new AbortController();
    const childRequests = () =>
      sim.requests.filter((r) => /^\/api\/campaigns\/[^/]+\/leads$/.test(r.path)).length;
    const timer = setInterval(() => {
      if (childRequests() >= atLeast) abort.abort(new Error('SIGINT'));
    }, 2);
    try {
      const stopped = await syncOnce(
        sim,
        { databaseUrl: pg.url },
        { streams, fullRefresh: true, signal: abort.signal },
      );
      expect(stopped.status).not.toBe('succeeded');
      expect(
        stopped.streams.some((s) => s.error?.name === 'SyncInterruptedError'),
        JSON.stringify(stopped.streams.map((s) => s.error)),
      ).toBe(true);
      return stopped;
    } finally {
      clearInterval(timer);
      sim.setLatency(0);
    }
  }

  it('is continued by the next --full-refresh: same run, walks it finished not fetched again, exact', async () => {
    // syncOnce walks 6 units at once: an 8th request starts only after two walks ended (each a
    // campaign's one page, committed), so the stop finds finished walks to skip.
    const stopped = await stoppedFullRefresh(8);
    const db = await openedDb();
    const finished = await db.query<{ partition: string }>(
      sql`select partition from puffle.sync_state
          where stream = 'campaign_leads' and complete and run_id = ${stopped.runId}`,
    );
    expect(finished.length).toBeGreaterThan(0);
    sim.resetLog();
    const continued = await syncOnce(sim, { databaseUrl: pg.url }, { streams, fullRefresh: true });
    expect(continued).toMatchObject({ runId: stopped.runId, status: 'succeeded', fullRefresh: true });
    const fetched = new Set(sim.requests.map((r) => r.path));
    expect(finished.filter((f) => fetched.has(`/api/campaigns/${f.partition}/leads`))).toEqual([]);
    // ...while every other campaign's prospects were re-walked by the continuation.
    const walked = sim.partitions('campaign_leads').filter((p) => fetched.has(`/api/campaigns/${p}/leads`));
    expect(walked.length).toBe(sim.partitions('campaign_leads').length - finished.length);
    for (const name of streams) {
      const d = await diffTable(db, sim, name);
      expect(isExact(d), describeDiff(d)).toBe(true);
    }
  });

  it('is not continued by a plain sync, nor by a --full-refresh after one', async () => {
    const stopped = await stoppedFullRefresh(4);
    const plain = await syncOnce(sim, { databaseUrl: pg.url }, { streams });
    expect(plain.runId).not.toBe(stopped.runId);
    expect(plain.fullRefresh).toBe(false);
    const full = await syncOnce(sim, { databaseUrl: pg.url }, { streams, fullRefresh: true });
    expect([full.runId === stopped.runId, full.runId === plain.runId]).toEqual([false, false]);
  });

  let opened: Database | undefined;
  async function openedDb(): Promise<Database> {
    opened ??= await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle', poolSize: 1 });
    return opened;
  }
});
