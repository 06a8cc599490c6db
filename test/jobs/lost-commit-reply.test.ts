/**
 * A lost database connection around a page commit, made deterministic by a wrapper around the
 * Database's transaction: the reply of a COMMIT that landed is lost (the commit must not be
 * re-sent: a walk's last page re-sent after its seen-marks were cleared would sweep the whole
 * partition as deleted), or the connection is lost before the transaction ran (the page must be
 * committed by the retry). Either way the table equals the source, nothing is swept, and
 * sync_state and sync_runs count every page exactly once. Through syncPartition, the step both
 * runners use, on Postgres and PGlite; one page per commit group, so a test can pick the page,
 * and once with groups as they form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyId,
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  type RequestBudget,
} from '../../src/extract/index.ts';
import { getStream } from '../../src/extract/streams.ts';
import { syncPartition } from '../../src/jobs/sync-partition.ts';
import { copyStage } from '../../src/load/copy-stage.ts';
import {
  type Database,
  type DrizzleDb,
  getState,
  queryRows,
  type SyncState,
  startRun,
} from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { describeDiff, diffTable, isExact } from '../helpers/compare-tables.ts';
import { KINDS, openTestDatabase, type TestDatabase } from '../load/databases.ts';

const leads = getStream('leads'); // root, full+deletes, cursor pages of 100

/** What node-postgres reports when the server goes away mid-call (SQLSTATE 08006). */
function connectionLost(): Error {
  return Object.assign(new Error('Connection terminated unexpectedly (injected)'), { code: '08006' });
}

/**
 * The database as syncPartition sees it, except that one commit loses its connection: the first
 * transaction or statement for which `when(stateBefore, stateAfter)` holds (sync_state of
 * leads/'' read around it). `after`: it commits and only its reply is lost; `before`: it never
 * runs. Statements too: a page that fits one upsert statement commits without a transaction.
 */
function losingOneReply(
  database: Database,
  mode: 'after' | 'before',
  when: (before: SyncState | undefined, after: SyncState | undefined) => boolean,
): { database: Database; lost: () => number } {
  let lost = 0;
  const state = () => getState(database, 'leads', '');
  const db = Object.create(database.db) as DrizzleDb;
  const losing = async <T>(commit: () => Promise<T>): Promise<T> => {
    const before = await state();
    if (lost === 0 && mode === 'before' && when(before, undefined)) {
      lost += 1;
      throw connectionLost();
    }
    const result = await commit();
    if (lost === 0 && mode === 'after' && when(before, await state())) {
      lost += 1;
      throw connectionLost();
    }
    return result;
  };
  db.transaction = ((fn: never, config: never) =>
    losing(() => database.db.transaction(fn, config))) as DrizzleDb['transaction'];
  db.execute = ((query: never) => losing(() => database.db.execute(query))) as DrizzleDb['execute'];
  return { database: { ...database, db }, lost: () => lost };
}

// Pages of leads (100 rows) commit in a transaction (COPY on Postgres); with the COPY threshold
// raised, each is one upsert statement with no transaction around it.
const PATHS = [
  { path: 'a transaction', minRows: copyStage.minRows },
  { path: 'one statement', minRows: 1_000 },
];

describe.each(KINDS.flatMap((kind) => PATHS.map((p) => ({ kind, ...p }))))(
  'a lost connection around a page commit on $kind, committed in $path',
  ({ kind, minRows }) => {
    const defaultMinRows = copyStage.minRows;
    let sim: Simulator;
    let t: TestDatabase;
    let budget: RequestBudget;
    let client: PuffleClient;
    let pages = 0;

    beforeAll(async () => {
      copyStage.minRows = minRows;
      sim = await startSimulator({ scale: 450, seed: 13, rateLimit: null });
      t = await openTestDatabase(kind, 'lostreply');
      budget = createRequestBudget({ perMinute: 1_000_000, keyId: apiKeyId(sim.keys[0]!), safetyMargin: 0 });
      client = createPuffleClient({ baseUrl: sim.url, apiKey: sim.keys[0]!, budget });
      // A first complete walk: the partition is not empty, so the walks below mark and sweep.
      const first = await sync(t.database);
      pages = first.pages;
      expect(first.complete).toBe(true);
      expect(pages).toBeGreaterThanOrEqual(4);
    });
    afterAll(async () => {
      copyStage.minRows = defaultMinRows;
      await client?.close();
      await budget?.close();
      await sim?.close();
      await t?.dispose();
    });

    /** One page per commit group unless `groups` (the defaults: groups form as Postgres lags). */
    async function sync(database: Database, groups = false) {
      const runId = await startRun(database, { trigger: 'manual', streams: ['leads'] });
      const db = groups ? database : { ...database, commitGroup: { pages: 1, rows: 1, fetchMs: 1 } };
      const result = await syncPartition(
        { db, client },
        { runId, stream: leads, partition: '', lookbackMs: 0 },
      );
      return { ...result, runId };
    }

    /** The table equals the source, nothing is soft-deleted, and every page was counted once. */
    async function expectConsistent(runId: string) {
      const db = t.database;
      const diff = await diffTable(db, sim, 'leads');
      expect(isExact(diff), describeDiff(diff)).toBe(true);
      const [gone] = await queryRows<{ n: number }>(
        db,
        'select count(*)::int as n from puffle.leads where _deleted_at is not null',
      );
      expect(gone?.n, 'rows swept as deleted').toBe(0);
      expect(await getState(db, 'leads', '')).toMatchObject({ complete: true, resume: null, pages, runId });
      const [run] = await queryRows<{ pages: number; deleted: number }>(
        db,
        `select pages, deleted from puffle.sync_runs where run_id = '${runId}' and stream = 'leads'`,
      );
      expect(run).toEqual({ pages, deleted: 0 });
    }

    const atPage = (n: number) => (s: SyncState | undefined) => s?.complete === false && s.pages === n;

    it('a middle page whose COMMIT landed is not committed again', async () => {
      const { database, lost } = losingOneReply(t.database, 'after', (_b, after) => atPage(2)(after));
      const r = await sync(database);
      expect(lost(), 'the reply of page 2 was lost').toBe(1);
      expect(r).toMatchObject({ complete: true, pages });
      await expectConsistent(r.runId);
    });

    it("the walk's last page whose COMMIT landed is not re-sent, so it never sweeps the partition", async () => {
      const { database, lost } = losingOneReply(
        t.database,
        'after',
        (before, after) => before?.complete === false && after?.complete === true,
      );
      const r = await sync(database);
      expect(lost(), 'the reply of the last page was lost').toBe(1);
      expect(r).toMatchObject({ complete: true, pages });
      await expectConsistent(r.runId);
    });

    it('a commit group whose COMMIT landed is not committed again', async () => {
      const { database, lost } = losingOneReply(
        t.database,
        'after',
        (_b, after) => after?.complete === false && after.pages > 0,
      );
      const r = await sync(database, true);
      expect(lost(), 'the reply of a group that did not complete the walk was lost').toBe(1);
      expect(r).toMatchObject({ complete: true, pages });
      await expectConsistent(r.runId);
    });

    it('a middle page lost before its transaction ran is committed by the retry', async () => {
      const { database, lost } = losingOneReply(t.database, 'before', atPage(2));
      const r = await sync(database);
      expect(lost()).toBe(1);
      expect(r).toMatchObject({ complete: true, pages });
      await expectConsistent(r.runId);
    });

    it('the last page lost before its transaction ran is committed by the retry', async () => {
      const { database, lost } = losingOneReply(t.database, 'before', atPage(pages - 1));
      sim.mutate.remove('leads', String([...sim.expected('leads')][0]!.record.id));
      const r = await sync(database);
      expect(lost()).toBe(1);
      expect(r).toMatchObject({ complete: true, pages });
      // The walk completed (its sweep ran once): the lead removed upstream is soft-deleted.
      const diff = await diffTable(t.database, sim, 'leads');
      expect(isExact(diff), describeDiff(diff)).toBe(true);
      expect(await getState(t.database, 'leads', '')).toMatchObject({
        complete: true,
        pages,
        runId: r.runId,
      });
    });
  },
);
