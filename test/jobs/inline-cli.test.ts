/** `puffle-sync sync` as a process: exit codes, the key never printed, and SIGKILL at random moments. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import { openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { groupEnv, refetchBound } from '../helpers/commit-group.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';

const KEY = 'pk_live_cliTestKey0123456789';

describe('puffle-sync sync (process)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  const env = () => ({
    PUFFLE_API_KEY: KEY,
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: pg.url,
    PUFFLE_RATE_LIMIT_PER_MIN: '6000',
    PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
    ...groupEnv,
  });

  beforeAll(async () => {
    sim = await startSimulator({ scale: 600, seed: 21, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('cli');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('exits 2 with a one-line message for bad configuration, never echoing the key', async () => {
    const noKey = await runCli(['sync'], { ...env(), PUFFLE_API_KEY: undefined });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim().split('\n')).toHaveLength(1);
    expect(noKey.stderr).toContain('PUFFLE_API_KEY');

    const badKey = await runCli(['sync'], { ...env(), PUFFLE_API_KEY: 'sk_secretvalue123456' });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).not.toContain('secretvalue');

    const plainHttp = await runCli(['sync'], { ...env(), PUFFLE_API_BASE_URL: 'http://example.com' });
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.stderr).toContain('https');

    const badDb = await runCli(['sync'], { ...env(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nope' });
    expect(badDb.code).toBe(2);
    expect(badDb.stderr.trim().split('\n')).toHaveLength(1);

    const badRedis = await runCli(['sync'], { ...env(), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(badRedis.code).toBe(2);
    expect(badRedis.stderr.trim()).toBe('puffle-sync: REDIS_URL: cannot connect to Redis at 127.0.0.1:1');

    const badStream = await runCli(['sync', '--streams', 'campaigns,nope'], env());
    expect(badStream.code).toBe(2);
    expect(badStream.stderr).toContain('nope');
  });

  it('exits 3 when Puffle rejects the key, records the run as failed, and never prints the key', async () => {
    const revoked = 'pk_live_revokedKey987654321';
    const res = await runCli(['sync', '--json'], { ...env(), PUFFLE_API_KEY: revoked });
    expect(res.code).toBe(3);
    expect(res.stdout + res.stderr).not.toContain(revoked);
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const [run] = await db.query<{ status: string; error_class: string }>(
        sql`select status, error_class from puffle.sync_runs where stream = '*' order by started_at desc limit 1`,
      );
      expect(run).toEqual({ status: 'failed', error_class: 'AuthRejectedError' });
    } finally {
      await db.close();
    }
  });

  it('survives SIGKILL at several moments and ends exact, re-fetching at most one commit group per walk in flight at each kill', async () => {
    // Slow the simulator down so a kill lands mid-walk.
    sim.setLatency(15);
    sim.resetLog();
    // Each process resumes the interrupted run, so every kill lands further into it.
    const kills = [20, 35, 30];
    let killed = 0;
    let finishedAlone = false;
    for (const after of kills) {
      const start = sim.requestCount;
      const { child, done } = startCli(['sync', '--json'], env());
      while (sim.requestCount - start < after && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 5));
      finishedAlone = !child.kill('SIGKILL');
      const res = await done;
      if (finishedAlone || res.code === 0) {
        finishedAlone = true;
        break;
      }
      killed += 1;
    }
    expect(killed).toBeGreaterThanOrEqual(2);
    sim.setLatency(0);
    if (!finishedAlone) {
      const final = await runCli(['sync', '--json'], env());
      expect(final.code, final.stderr).toBe(0);
    }

    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const bad = [];
      for (const name of DEFAULT_STREAMS) {
        const d = await diffTable(db, sim, name);
        if (!isExact(d)) bad.push(describeDiff(d));
      }
      expect(bad).toEqual([]);
    } finally {
      await db.close();
    }
    // Every paginated request (path + page/cursor/offset) fetched more than once is a re-fetch.
    const seen = new Map<string, number>();
    for (const r of sim.requests) {
      if (r.status !== 200) continue;
      const k = `${r.path}?${new URLSearchParams(r.query).toString()}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    const refetched = [...seen.values()].reduce((n, c) => n + (c - 1), 0);
    // A killed process loses at most one commit group (the group committing and the pages fetched
    // ahead) per walk in flight (--concurrency 4): that bounds what a resumed run may fetch again.
    expect(refetched).toBeGreaterThan(0);
    expect(refetched).toBeLessThanOrEqual(refetchBound(killed));
  });
});
