/**
 * A delete-detecting walk that begins on an empty partition skips seen-marks and the sweep (it
 * wrote every row it will find); the next walk over the now-full partition detects deletes as usual.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import { beginWalk, commitPage, type Database, startRun } from '../../src/load/index.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

const campaignLeads = getStream('campaign_leads');
let t: TestDatabase;
let db: Database;
let runId: string;

beforeAll(async () => {
  t = await openTestDatabase('postgres', 'empty_start');
  db = t.database;
  runId = await startRun(db, { trigger: 'manual', streams: ['campaign_leads'] });
});
afterAll(() => t.dispose());

const page = (walkId: string, ids: string[], last: boolean) =>
  commitPage(db, {
    runId,
    stream: campaignLeads,
    partition: 'c1',
    walkId,
    records: ids.map((id) => ({ id, name: id })),
    resume: last ? null : { kind: 'page', page: 2 },
  });
const seenMarks = async () =>
  Number((await db.query<{ n: string }>(sql`select count(*) as n from puffle.walk_seen`))[0]?.n);
const live = async () =>
  (
    await db.query<{ id: string }>(
      sql`select id from puffle.campaign_leads where campaign_id = 'c1' and _deleted_at is null order by id`,
    )
  ).map((r) => r.id);

describe('a walk that begins on an empty partition', () => {
  it('writes no seen-marks and sweeps nothing; the next walk detects deletes', async () => {
    const first = await beginWalk(db, campaignLeads, 'c1');
    expect(first.walkId).toMatch(/^empty-start:/);
    await page(first.walkId, ['a', 'b'], false);
    expect(await seenMarks()).toBe(0);
    // Resumed by another process: same id, same shortcut.
    const resumed = await beginWalk(db, campaignLeads, 'c1');
    expect(resumed.walkId).toBe(first.walkId);
    expect(await page(resumed.walkId, ['c'], true)).toMatchObject({ inserted: 1, deleted: 0 });
    expect(await live()).toEqual(['a', 'b', 'c']);

    const second = await beginWalk(db, campaignLeads, 'c1');
    expect(second.walkId).not.toMatch(/^empty-start:/);
    await page(second.walkId, ['a'], false);
    expect(await seenMarks()).toBe(1);
    expect(await page(second.walkId, ['c'], true)).toMatchObject({ deleted: 1 });
    expect(await live()).toEqual(['a', 'c']);
    expect(await seenMarks()).toBe(0);
  });
});
