/**
 * The API key is revoked in the middle of an inline `puffle-sync sync`. Deterministic: the third
 * `/api/leads` page is held by the simulator, the key is revoked while it is held (that page then
 * answers 401), so the revocation always lands mid-walk. The process must exit 3, record the run
 * `failed` with AuthRejectedError, send at most one request per partition slot after the
 * revocation, and keep its checkpoints: a new key continues the leads walk from its stored cursor.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import { getState, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';

const OLD_KEY = 'pk_live_revokedMidRunOld01234';
const NEW_KEY = 'pk_live_revokedMidRunNew56789';
/** Partitions the CLI walks at once (`sync --concurrency`, default 4): one request each at most. */
const SLOTS = 4;

describe('a key revoked mid-run (inline sync)', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  const env = (key: string) => ({
    PUFFLE_API_KEY: key,
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: pg.url,
    PUFFLE_RATE_LIMIT_PER_MIN: '60000',
    PUFFLE_REQUEST_TIMEOUT_MS: '10000',
    PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
  });
  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    sim = await startSimulator({ scale: 400, seed: 31, keys: [OLD_KEY], rateLimit: null, latencyMs: 3 });
    pg = await createTestDatabase('revoke_inline');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('exits 3, fails the run, stops within one request per slot, and a new key resumes', async () => {
    // `/api/lead*` is /api/leads only (a `*` never crosses a `/`).
    sim.setFaults([{ kind: 'stall', path: '/api/lead*', nth: [3], stallMs: 1500 }]);
    const { done } = startCli(['sync', '--json'], env(OLD_KEY));
    let exited = false;
    void done.then(() => (exited = true));
    while (!exited && !sim.requests.some((r) => r.fault === 'stall'))
      await new Promise((r) => setTimeout(r, 2));
    expect(exited, 'the run ended before the held page').toBe(false);
    const cut = sim.requestCount;
    sim.revokeKey(OLD_KEY);
    const res = await done;
    sim.setFaults([]);

    expect(res.code, res.stderr.slice(-500)).toBe(3);
    expect(res.stdout + res.stderr).not.toContain(OLD_KEY);
    const held = sim.requests.find((r) => r.fault === 'stall');
    // Answered 401, or abandoned (0) once another slot's 401 stopped the run: never served.
    expect([0, 401], 'the page held across the revocation').toContain(held?.status);
    const late = sim.requests.slice(cut);
    expect(late.length, 'requests after the revocation').toBeLessThanOrEqual(SLOTS);
    expect(late.every((r) => r.status === 401)).toBe(true);

    const { run, leads } = await withDb(async (db) => {
      const [run] = await db.query<{ status: string; error_class: string | null }>(
        sql`select status, error_class from puffle.sync_runs where stream = '*' order by started_at desc limit 1`,
      );
      return { run, leads: await getState(db, 'leads', '') };
    });
    expect(run).toEqual({ status: 'failed', error_class: 'AuthRejectedError' });
    // Pages 1 and 2 were fetched before the held one (page 1 committed for sure): the walk stopped
    // with a checkpoint, not at the beginning.
    expect(leads?.complete).toBe(false);
    expect(leads?.resume).toMatchObject({ kind: 'cursor' });
    const cursor = leads?.resume?.kind === 'cursor' ? leads.resume.cursor : undefined;

    sim.addKey(NEW_KEY);
    const resumeFrom = sim.requestCount;
    const next = await runCli(['sync', '--json'], env(NEW_KEY));
    expect(next.code, next.stderr.slice(-500)).toBe(0);
    const firstLeads = sim.requests.slice(resumeFrom).find((r) => r.path === '/api/leads');
    expect(firstLeads?.query.cursor, 'the new run continues the leads walk from its checkpoint').toBe(cursor);

    const bad = await withDb(async (db) => {
      const out: string[] = [];
      for (const name of DEFAULT_STREAMS) {
        const d = await diffTable(db, sim, name);
        if (!isExact(d)) out.push(describeDiff(d));
      }
      return out;
    });
    expect(bad).toEqual([]);
  });
});
