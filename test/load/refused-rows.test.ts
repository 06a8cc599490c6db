/**
 * The last line of defence of a page commit: a data error validation did not foresee (here a
 * CHECK constraint and a trigger raising a class-22 error, both added by the test) no longer
 * fails the page. Exactly the refused records go to rejected_records; the other rows and the
 * page's checkpoint commit together. Large pages take the COPY path on Postgres, so one case
 * is above copyStage.minRows.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import {
  commitPage,
  type Database,
  getState,
  PageCommitError,
  queryRows,
  startRun,
} from '../../src/load/index.ts';
import { KINDS, openTestDatabase, type TestDatabase } from './databases.ts';

const campaigns = getStream('campaigns');

describe.each(KINDS)('a page Postgres refuses some rows of, on %s', (kind) => {
  let t: TestDatabase;
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind, 'refused');
    db = t.database;
    runId = await startRun(db, { trigger: 'manual', streams: ['campaigns'] });
    await db.query(
      sql.raw(`alter table puffle.campaigns add constraint no_poison check (name is distinct from 'poison')`),
    );
    await db.query(
      sql.raw(`create function puffle.refuse_status() returns trigger language plpgsql as $$
        begin
          if new.status = 'refuse' then raise exception 'status refused' using errcode = '22023'; end if;
          return new;
        end $$`),
    );
    await db.query(
      sql.raw(`create trigger refuse_status before insert or update on puffle.campaigns
        for each row execute function puffle.refuse_status()`),
    );
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const commit = (walkId: string, records: Record<string, unknown>[]) =>
    commitPage(db, {
      runId,
      stream: campaigns,
      partition: '',
      walkId,
      records,
      resume: { kind: 'page', page: 2 },
    });
  const rejectedIds = async () =>
    (
      await queryRows<{ id: string; reason: string }>(
        db,
        `select raw->>'id' as id, reason from puffle.rejected_records where stream = 'campaigns' order by id`,
      )
    ).map(
      (r) =>
        `${r.id}: ${/^the database refused the row \(SQLSTATE (\w+)\): (.+)$/.exec(r.reason)?.slice(1).join(' ')}`,
    );

  it('isolates exactly the refused records; the rest of the page and its checkpoint commit', async () => {
    const records = Array.from({ length: 9 }, (_, i) => ({ id: `a${i}`, name: `n${i}`, status: 'active' }));
    records[2] = { id: 'a2', name: 'poison', status: 'active' };
    records[7] = { id: 'a7', name: 'n7', status: 'refuse' };
    const counts = await commit('w-small', records);
    expect(counts).toMatchObject({ read: 9, inserted: 7, rejected: 2 });
    expect(await rejectedIds()).toEqual([
      'a2: 23514 new row for relation "campaigns" violates check constraint "no_poison"',
      'a7: 22023 status refused',
    ]);
    const stored = await queryRows<{ id: string }>(db, `select id from puffle.campaigns order by id`);
    expect(stored.map((r) => r.id)).toEqual(['a0', 'a1', 'a3', 'a4', 'a5', 'a6', 'a8']);
    expect(await getState(db, 'campaigns', '')).toMatchObject({
      walkId: 'w-small',
      resume: { kind: 'page', page: 2 },
    });
    const [run] = await queryRows<{ rejected: number; inserted: number }>(
      db,
      `select rejected, inserted from puffle.sync_runs where run_id = '${runId}' and stream = 'campaigns'`,
    );
    expect(run).toEqual({ rejected: 2, inserted: 7 });
  });

  it('finds one refused record among a large page', async () => {
    await db.query(sql.raw(`delete from puffle.rejected_records`));
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: `b${i}`,
      name: i === 211 ? 'poison' : `n${i}`,
    }));
    expect(await commit('w-large', records)).toMatchObject({ read: 300, inserted: 299, rejected: 1 });
    expect(await rejectedIds()).toEqual([
      'b211: 23514 new row for relation "campaigns" violates check constraint "no_poison"',
    ]);
  });

  it('moves every row to rejected_records when each is refused on its own, and the walk goes on', async () => {
    await db.query(sql.raw(`alter table puffle.campaigns drop constraint no_poison`));
    await db.query(
      sql.raw(`create or replace function puffle.refuse_status() returns trigger language plpgsql as $$
        begin raise exception 'every row refused' using errcode = '22023'; end $$`),
    );
    const before = await getState(db, 'campaigns', '');
    const counts = await commit('w-all', [{ id: 'c1' }, { id: 'c2' }]);
    expect(counts).toMatchObject({ read: 2, inserted: 0, rejected: 2 });
    expect((await getState(db, 'campaigns', ''))?.walkId).toBe('w-all');
    expect(before?.walkId).toBe('w-large');
  });

  it('fails the page as before when the data error is not in the rows (nothing to isolate)', async () => {
    await db.query(sql.raw('drop trigger refuse_status on puffle.campaigns'));
    await db.query(
      sql.raw(`create function puffle.refuse_state() returns trigger language plpgsql as $$
        begin raise exception 'checkpoint refused' using errcode = '22023'; end $$`),
    );
    await db.query(
      sql.raw(`create trigger refuse_state before insert or update on puffle.sync_state
        for each row execute function puffle.refuse_state()`),
    );
    const err = await commit('w-state', [{ id: 'd1' }]).catch((e: unknown) => e);
    await db.query(sql.raw('drop trigger refuse_state on puffle.sync_state'));
    expect(err).toBeInstanceOf(PageCommitError);
    expect((err as Error).message).toMatch(/checkpoint refused/);
    expect((await getState(db, 'campaigns', ''))?.walkId).toBe('w-all');
    expect(await queryRows(db, `select 1 from puffle.campaigns where id = 'd1'`)).toEqual([]);
  });
});
