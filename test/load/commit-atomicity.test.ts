/**
 * A page commit — and a commit group of several pages — is all or nothing. A real failure (a temporary trigger that raises) is injected at
 * every statement a page commit makes — the rows, the rejected records, the walk's seen-marks and
 * their clean-up, the sweep of a walk's last page, the checkpoint, the run counters — and at
 * COMMIT itself (a deferred constraint trigger); and, for the mass-delete guard, where a walk's
 * last page holds deletions, replaces a hold, or confirms one (held_deletions written or removed
 * together with the rows). Each time every table of the schema must be
 * byte-identical to before, and the same page committed again must land once, with rows and
 * sync_state agreeing. A probe first records which tables a page commit writes, so a statement
 * added later without a failure point here fails the suite. On Postgres and on PGlite.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import {
  beginWalk,
  type CommitPageInput,
  commitPage,
  type Database,
  getState,
  PageCommitError,
  queryRows,
  startRun,
} from '../../src/load/index.ts';
import { KINDS, openTestDatabase, type TestDatabase } from './databases.ts';

const stream = getStream('campaign_leads'); // full+deletes, partitioned by campaign: every statement runs

/** Where the failure is raised: a trigger on one table (`when` narrows it), or at COMMIT. */
interface FailurePoint {
  name: string;
  table: string;
  events: string;
  when?: string;
  atCommit?: boolean;
  /** Only the walk's last page runs this statement. */
  lastPageOnly?: boolean;
}

const POINTS: FailurePoint[] = [
  { name: 'rows', table: 'campaign_leads', events: 'insert or update', when: 'new._deleted_at is null' },
  { name: 'rejected records', table: 'rejected_records', events: 'insert' },
  { name: 'seen marks', table: 'walk_seen', events: 'insert' },
  { name: 'seen marks cleared', table: 'walk_seen', events: 'delete', lastPageOnly: true },
  {
    name: 'sweep',
    table: 'campaign_leads',
    events: 'update',
    when: 'new._deleted_at is not null and old._deleted_at is null',
    lastPageOnly: true,
  },
  { name: 'checkpoint', table: 'sync_state', events: 'insert or update' },
  { name: 'counters', table: 'sync_runs', events: 'insert or update' },
  { name: 'COMMIT', table: 'sync_state', events: 'insert or update', atCommit: true },
];

/**
 * The mass-delete guard's writes, each with the walk that makes it. A partition of 24 rows; the
 * walk of `setup` sees `held` of them and leaves a hold, then the walk under test sees `sees`.
 */
interface HoldScenario {
  name: string;
  /** Rows (by index) the walk before the one under test sees; none: no hold before. */
  setup?: number[];
  sees: number[];
  expect: { deleted: number; held: number; live: number };
}
const ALL_ROWS = [...Array(24).keys()];
const HALF = (from: number) => ALL_ROWS.slice(from, from + 12);
const HOLD_SCENARIOS: Record<string, HoldScenario> = {
  hold: { name: 'held', sees: HALF(0), expect: { deleted: 0, held: 12, live: 24 } },
  rehold: {
    name: 'hold replaced',
    setup: HALF(0),
    sees: HALF(12),
    expect: { deleted: 0, held: 12, live: 24 },
  },
  confirm: {
    name: 'hold confirmed',
    setup: HALF(0),
    sees: HALF(0),
    expect: { deleted: 12, held: 0, live: 12 },
  },
};
const HOLD_POINTS: Array<FailurePoint & { scenario: keyof typeof HOLD_SCENARIOS }> = [
  { name: 'hold written', table: 'held_deletions', events: 'insert', scenario: 'hold' },
  { name: 'hold replaced', table: 'held_deletions', events: 'update', scenario: 'rehold' },
  { name: 'hold removed', table: 'held_deletions', events: 'delete', scenario: 'confirm' },
  { ...POINTS.find((p) => p.name === 'sweep')!, name: 'confirmed sweep', scenario: 'confirm' },
  { ...POINTS.find((p) => p.name === 'checkpoint')!, name: 'held checkpoint', scenario: 'hold' },
  { ...POINTS.find((p) => p.name === 'counters')!, name: 'held counters', scenario: 'hold' },
  { ...POINTS.find((p) => p.name === 'COMMIT')!, name: 'held COMMIT', scenario: 'rehold' },
];

describe.each(KINDS)('a failure at any statement of a page commit on %s', (kind) => {
  let t: TestDatabase;
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind, 'atomic');
    db = t.database;
    await db.query(
      sql.raw(`create function puffle.injected_failure() returns trigger language plpgsql as $$
        begin raise exception 'injected failure on %', tg_table_name; end $$`),
    );
    runId = await startRun(db, { trigger: 'manual', streams: ['campaign_leads'] });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const tables = async () =>
    (
      await queryRows<{ name: string }>(
        db,
        `select table_name as name from information_schema.tables
          where table_schema = 'puffle' and table_type = 'BASE TABLE' order by 1`,
      )
    ).map((r) => r.name);

  /** Every table of the schema, as text: equal snapshots mean nothing changed at all. */
  const snapshot = async () => {
    const out: Record<string, string[]> = {};
    for (const name of await tables()) {
      const rows = await queryRows<{ j: string }>(
        db,
        `select to_jsonb(x)::text as j from puffle.${name} x order by 1`,
      );
      out[name] = rows.map((r) => r.j);
    }
    return out;
  };

  const withFailure = async (point: FailurePoint, fn: () => Promise<void>) => {
    const name = `fail_${point.name.replace(/\W/g, '_')}`;
    const when = point.when ? `when (${point.when})` : '';
    await db.query(
      sql.raw(
        point.atCommit
          ? `create constraint trigger ${name} after ${point.events} on puffle.${point.table}
              deferrable initially deferred for each row execute function puffle.injected_failure()`
          : `create trigger ${name} before ${point.events} on puffle.${point.table}
              for each row ${when} execute function puffle.injected_failure()`,
      ),
    );
    try {
      await fn();
    } finally {
      await db.query(sql.raw(`drop trigger ${name} on puffle.${point.table}`));
    }
  };

  /**
   * A partition with three stored rows and a second walk in progress, so the pages below run
   * every statement: an update and inserts (one with a dropped value), a rejected record, seen-marks, and on the last page
   * the sweep of the row the walk no longer sees.
   */
  const preparePages = async (partition: string) => {
    await commitPage(db, {
      runId,
      stream,
      partition,
      walkId: `first-${partition}`,
      records: ['a', 'b', 'c'].map((id) => ({ id: `${partition}-${id}`, name: 'v1' })),
      resume: null,
    });
    const walk = await beginWalk(db, stream, partition);
    const page = (records: Record<string, unknown>[], resume: CommitPageInput['resume']) => ({
      runId,
      stream,
      partition,
      walkId: walk.walkId,
      records,
      resume,
    });
    return {
      first: page(
        [
          { id: `${partition}-a`, name: 'v2' },
          { id: `${partition}-d`, name: 'new' },
          // A value dropped (the row lands, with _changes) and a record that cannot be stored at all.
          { id: `${partition}-e`, name: 'new', created_at: '0000-00-00 00:00:00' },
          { id: `${partition}-x\u0000` },
        ],
        { kind: 'page', page: 2 },
      ),
      last: page([{ id: `${partition}-b`, name: 'v2' }, { name: 'no primary key' }], null),
    };
  };
  /** Both pages as one commit group: one transaction, the checkpoint moved by two pages. */
  const group = (pages: Awaited<ReturnType<typeof preparePages>>): CommitPageInput => ({
    ...pages.last,
    records: [...pages.first.records, ...pages.last.records],
    pages: 2,
  });
  const prepare = async (partition: string) => {
    const pages = await preparePages(partition);
    return { ...pages, group: group(pages) };
  };

  /** The rows of a partition, by index; the walks of a hold scenario; the page under test. */
  const prepareHold = async (partition: string, scenario: HoldScenario): Promise<CommitPageInput> => {
    const rowsOf = (indexes: number[]) => indexes.map((i) => ({ id: `${partition}-${i}`, name: 'v1' }));
    const walkOver = async (indexes: number[]): Promise<CommitPageInput> => {
      const walk = await beginWalk(db, stream, partition);
      return { runId, stream, partition, walkId: walk.walkId, records: rowsOf(indexes), resume: null };
    };
    await commitPage(db, {
      runId,
      stream,
      partition,
      walkId: `first-${partition}`,
      records: rowsOf(ALL_ROWS),
      resume: null,
    });
    if (scenario.setup) await commitPage(db, await walkOver(scenario.setup));
    return walkOver(scenario.sees);
  };
  const held = async (partition: string) =>
    (
      await queryRows<{ held: number }>(
        db,
        `select held from puffle.held_deletions where stream = 'campaign_leads' and partition = '${partition}'`,
      )
    )[0]?.held ?? 0;

  for (const point of HOLD_POINTS) {
    const scenario = HOLD_SCENARIOS[point.scenario]!;
    it(`${point.name} (${scenario.name}): nothing changes, and the retried page lands once`, async () => {
      const partition = `c-${point.name.replace(/\W/g, '')}`;
      const page = await prepareHold(partition, scenario);
      const before = await snapshot();
      await withFailure(point, async () => {
        const err = await commitPage(db, page).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PageCommitError);
      });
      expect(await snapshot()).toEqual(before);

      const counts = await commitPage(db, page);
      expect(counts).toMatchObject({ deleted: scenario.expect.deleted, held: scenario.expect.held });
      expect(await held(partition)).toBe(scenario.expect.held);
      expect(await live(partition)).toHaveLength(scenario.expect.live);
      expect(await getState(db, 'campaign_leads', partition)).toMatchObject({ complete: true });
    });
  }

  const live = async (partition: string) =>
    (
      await queryRows<{ id: string; name: string }>(
        db,
        `select id, name from puffle.campaign_leads
          where campaign_id = '${partition}' and _deleted_at is null order by id`,
      )
    ).map((r) => `${r.id.slice(partition.length + 1)}:${r.name}`);
  const runPages = async () =>
    (
      await queryRows<{ pages: number }>(
        db,
        `select pages from puffle.sync_runs where run_id = '${runId}' and stream = 'campaign_leads'`,
      )
    )[0]?.pages ?? 0;

  it('covers every table and kind of write a page commit makes (a new statement needs its point here)', async () => {
    const pages = await prepare('c-probe');
    await db.query(sql.raw('create schema probe'));
    await db.query(sql.raw('create table probe.writes (tbl text, op text)'));
    await db.query(
      sql.raw(`create function probe.record() returns trigger language plpgsql as $$
        begin insert into probe.writes values (tg_table_name, lower(tg_op)); return null; end $$`),
    );
    const all = await tables();
    for (const name of all)
      await db.query(
        sql.raw(`create trigger probe_write after insert or update or delete on puffle.${name}
          for each row execute function probe.record()`),
      );
    try {
      await commitPage(db, pages.first);
      await commitPage(db, pages.last);
      await commitPage(db, (await prepare('c-probe-group')).group);
      for (const [key, scenario] of Object.entries(HOLD_SCENARIOS))
        await commitPage(db, await prepareHold(`c-probe-${key}`, scenario));
    } finally {
      for (const name of all) await db.query(sql.raw(`drop trigger probe_write on puffle.${name}`));
    }
    const writes = await queryRows<{ tbl: string; op: string }>(
      db,
      'select distinct tbl, op from probe.writes order by 1, 2',
    );
    await db.query(sql.raw('drop schema probe cascade'));
    expect(writes.length).toBeGreaterThanOrEqual(6);
    const uncovered = writes.filter(
      (w) =>
        ![...POINTS, ...HOLD_POINTS].some((p) => p.table === w.tbl && !p.atCommit && p.events.includes(w.op)),
    );
    expect(writes).toContainEqual({ tbl: 'held_deletions', op: 'delete' });
    expect(uncovered).toEqual([]);
  });

  for (const point of POINTS) {
    for (const which of ['first', 'last', 'group'] as const) {
      if (point.lastPageOnly && which === 'first') continue;
      it(`${point.name}, ${which} page: nothing changes, and the retried page lands once`, async () => {
        const partition = `c-${point.name.replace(/\W/g, '')}-${which}`;
        const pages = await prepare(partition);
        if (which === 'last') await commitPage(db, pages.first);
        const page = pages[which];
        const before = await snapshot();
        const pagesBefore = await runPages();

        await withFailure(point, async () => {
          const err = await commitPage(db, page).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(PageCommitError);
          expect((err as Error).message).toMatch(/injected failure on/);
        });
        expect(await snapshot()).toEqual(before);

        const counts = await commitPage(db, page);
        expect(await runPages()).toBe(pagesBefore + (which === 'group' ? 2 : 1));
        const state = await getState(db, 'campaign_leads', partition);
        if (which === 'first') {
          expect(counts).toMatchObject({
            read: 4,
            inserted: 2,
            updated: 1,
            rejected: 1,
            deleted: 0,
            dropped: 1,
          });
          expect(state).toMatchObject({ complete: false, resume: { kind: 'page', page: 2 }, pages: 1 });
          expect(await live(partition)).toEqual(['a:v2', 'b:v1', 'c:v1', 'd:new', 'e:new']);
          const [e] = await queryRows<{ changes: string }>(
            db,
            `select _changes::text as changes from puffle.campaign_leads where id = '${partition}-e'`,
          );
          expect(JSON.parse(e?.changes ?? '[]')).toEqual([
            { field: 'created_at', reason: 'date or time out of range', original: '0000-00-00 00:00:00' },
          ]);
        } else if (which === 'group') {
          expect(counts).toMatchObject({
            read: 6,
            inserted: 2,
            updated: 2,
            rejected: 2,
            deleted: 1,
            dropped: 1,
          });
          expect(state).toMatchObject({ complete: true, resume: null, pages: 2 });
          expect(await live(partition)).toEqual(['a:v2', 'b:v2', 'd:new', 'e:new']);
        } else {
          expect(counts).toMatchObject({ read: 2, updated: 1, rejected: 1, deleted: 1 });
          expect(state).toMatchObject({ complete: true, resume: null, pages: 2 });
          expect(await live(partition)).toEqual(['a:v2', 'b:v2', 'd:new', 'e:new']);
        }
        const [rejected] = await queryRows<{ n: number }>(
          db,
          `select count(*)::int as n from puffle.rejected_records where partition = '${partition}'`,
        );
        expect(rejected?.n).toBe(which === 'first' ? 1 : 2);
      });
    }
  }
});
