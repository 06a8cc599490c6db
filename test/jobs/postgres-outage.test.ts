/**
 * A connection cut in the middle of a page commit (Postgres restart, failover, a DBA's
 * pg_terminate_backend) is retried on a fresh connection: the run still succeeds, exactly.
 * Deterministic: the commit is held on a row lock, so the cut always lands inside it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../src/jobs/run-sync.ts';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { createLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { adminDatabaseUrl, createTestDatabase } from '../helpers/services.ts';
import { openSyncRuntime } from '../helpers/sync-harness.ts';

describe('a Postgres connection cut mid-commit', () => {
  let sim: Simulator;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: pg.Client;
  let locker: pg.Client;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 150, seed: 21, rateLimit: null });
    target = await createTestDatabase('pg_outage');
    const d = await openDatabase({ databaseUrl: target.url, dataDir: '', schema: 'puffle', poolSize: 1 });
    await migrate(d);
    await d.close();
    admin = new pg.Client({ connectionString: adminDatabaseUrl() });
    locker = new pg.Client({ connectionString: target.url });
    await Promise.all([admin.connect(), locker.connect()]);
  });
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await admin?.end();
    await sim?.close();
    await target?.drop();
  });

  it('is retried on a new connection and the run succeeds exactly', async () => {
    const runtime = await openSyncRuntime(sim, { databaseUrl: target.url });
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    const run = () =>
      runSync(
        { db: runtime.db, client: runtime.client, locks: runtime.locks, logger },
        { streams: ['campaigns'], lookbackMs: 3_600_000, concurrency: 2 },
      );
    try {
      expect((await run()).status).toBe('succeeded');
      const id = String(sim.expected('campaigns')[Symbol.iterator]().next().value!.record.id);
      sim.mutate.update('campaigns', id, { name: 'Renamed during the outage' });
      // A row lock: reads go on, but the page commit's upsert of this row waits inside its transaction.
      await locker.query('begin');
      await locker.query('select 1 from puffle.campaigns where id = $1 for update', [id]);
      const running = run();
      running.catch(() => {});
      let cut = 0;
      for (let i = 0; i < 400 && cut === 0; i += 1) {
        const { rowCount } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
            where datname = $1 and application_name = 'puffle-sync' and wait_event_type = 'Lock'`,
          [new URL(target.url).pathname.slice(1)],
        );
        cut = rowCount ?? 0;
        if (cut === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(cut, 'a page commit was waiting on the row lock').toBe(1);
      await locker.query('commit');
      const summary = await running;
      expect(summary.status, JSON.stringify(summary.error)).toBe('succeeded');
      expect(summary.streams[0]?.counts.updated).toBe(1);
      const diff = await diffTable(runtime.db, sim, 'campaigns');
      expect(isExact(diff), describeDiff(diff)).toBe(true);
      expect(lines.join('')).toMatch(/"step":"commit page".*database connection lost; retrying/);
    } finally {
      await runtime.close();
    }
  });
});
