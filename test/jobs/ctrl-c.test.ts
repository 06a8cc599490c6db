/**
 * Ctrl-C, with real processes and a real SIGINT: an inline `sync` stops after its current page and
 * exits 130 (the next sync continues it); `sync --queue --wait` stops following, says the run
 * continues, exits 0, and the workers finish the run.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { startCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { queueEnv, startWorkerProcess, type WorkerProcess, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_ctrlCissue20abcdef';

describe('Ctrl-C', () => {
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

  it('on an inline sync: stops after the current page, prints the summary, exits 130', async () => {
    sim = await startSimulator({ scale: 2000, seed: 51, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('ctrl_c_inline');
    sim.setLatency(20);
    const { child, done } = startCli(['sync', '--streams', 'leads', '--json'], {
      PUFFLE_API_KEY: KEY,
      PUFFLE_API_BASE_URL: sim.url,
      DATABASE_URL: pg.url,
      PUFFLE_RATE_LIMIT_PER_MIN: '60000',
    });
    await waitFor(() => sim!.requests.length >= 3 || child.exitCode !== null, 60_000, 'requests');
    child.kill('SIGINT');
    const res = await done;
    expect(res.code, res.stderr).toBe(130);
    const summary = JSON.parse(res.stdout) as SyncSummary;
    expect(summary.streams[0]!.error?.name).toBe('SyncInterruptedError');
  }, 120_000);

  it('on sync --queue --wait: stops following, exits 0, and the run goes on to its end', async () => {
    sim = await startSimulator({ scale: 1000, seed: 52, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('ctrl_c_queue');
    const target = {
      sim,
      databaseUrl: pg.url,
      prefix: `issue20-ctrlc-${process.pid}-${Date.now()}`,
      key: KEY,
    };
    worker = startWorkerProcess(target);
    await worker.ready;
    sim.setLatency(20);
    const { child, done } = startCli(['sync', '--queue', '--wait', '--streams', 'leads'], queueEnv(target));
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    const runRows = () =>
      db!.query<{ run_id: string; status: string }>(
        sql`select run_id, status from puffle.sync_runs where stream = '*'`,
      );
    await waitFor(async () => (await runRows()).length > 0 && sim!.requests.length >= 2, 60_000, 'the run');
    child.kill('SIGINT');
    const res = await done;
    const [run] = await runRows();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(`puffle-sync: stopped following; run ${run!.run_id} continues`);
    expect(res.stderr).not.toMatch(/AbortError/);
    sim.setLatency(0);
    await waitFor(async () => (await runRows())[0]!.status !== 'running', 60_000, 'the run to end');
    expect((await runRows())[0]!.status).toBe('succeeded');
  }, 120_000);
});
