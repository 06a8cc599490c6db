import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import {
  beginWalk,
  commitPage,
  type Database,
  finishRun,
  finishStreamRun,
  getState,
  maxCursor,
  pageLanded,
  queryRows,
  runErrorOf,
  runRowClosed,
  SyncStateInvalidError,
  startRun,
  startStreamRun,
} from '../../src/load/index.ts';
import { KINDS, openTestDatabase, type TestDatabase } from './databases.ts';

const campaigns = getStream('campaigns');
const campaignLeads = getStream('campaign_leads');
const lists = getStream('lists');
const leadSearchTasks = getStream('lead_search_tasks');
const senders = getStream('senders');
const enrichmentItems = getStream('enrichment_items');
const signals = getStream('signals');

describe.each(KINDS)('commitPage on %s', (kind) => {
  let t: TestDatabase;
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind, 'commit');
    db = t.database;
    runId = await startRun(db, { trigger: 'manual', streams: ['campaigns'] });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const rowsOf = <T = Record<string, unknown>>(text: string) => queryRows<T>(db, text);

  it('dedupes a page by primary key (last wins) and counts inserts, then unchanged on replay', async () => {
    const page = {
      runId,
      stream: campaigns,
      partition: '',
      walkId: 'w-dedupe',
      records: [
        { id: 'd1', name: 'first', updated_at: '2024-01-01T00:00:00Z' },
        { id: 'd2', name: 'other' },
        { id: 'd1', name: 'last', updated_at: '2024-01-01T00:00:00Z' },
      ],
      resume: { kind: 'page' as const, page: 2 },
    };
    expect(await commitPage(db, page)).toEqual({
      read: 3,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      deleted: 0,
      dropped: 0,
      held: 0,
    });
    const [before] = await rowsOf<{ name: string; synced: string }>(
      `select name, _synced_at::text as synced from puffle.campaigns where id = 'd1'`,
    );
    expect(before?.name).toBe('last');

    expect(await commitPage(db, page)).toEqual({
      read: 3,
      inserted: 0,
      updated: 0,
      unchanged: 2,
      rejected: 0,
      deleted: 0,
      dropped: 0,
      held: 0,
    });
    const [after] = await rowsOf<{ synced: string }>(
      `select _synced_at::text as synced from puffle.campaigns where id = 'd1'`,
    );
    expect(after?.synced).toBe(before?.synced);
  });

  /** Commits records as a mid-walk page of campaigns. */
  const campaignsPage = (walkId: string) => (records: Record<string, unknown>[]) =>
    commitPage(db, {
      runId,
      stream: campaigns,
      partition: '',
      walkId,
      records,
      resume: { kind: 'page', page: 2 },
    });

  it('rewrites a changed row but never lets an older updated_at overwrite a newer one', async () => {
    const commit = campaignsPage('w-order');
    await commit([{ id: 'o1', name: 'v1', updated_at: '2024-01-01T00:00:00Z' }]);
    expect(await commit([{ id: 'o1', name: 'v2', updated_at: '2024-02-01T00:00:00Z' }])).toMatchObject({
      updated: 1,
    });
    expect(await commit([{ id: 'o1', name: 'old', updated_at: '2024-01-15T00:00:00Z' }])).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
    // camelCase updatedAt is read as updated_at too.
    expect(await commit([{ id: 'o1', name: 'old', updatedAt: '2023-01-15T00:00:00Z' }])).toMatchObject({
      updated: 0,
    });
    const [row] = await rowsOf<{ name: string; raw: { name: string } }>(
      `select name, raw from puffle.campaigns where id = 'o1'`,
    );
    expect(row).toEqual({ name: 'v2', raw: { id: 'o1', name: 'v2', updated_at: '2024-02-01T00:00:00Z' } });
  });

  it('equal updated_at with a changed body: the body read last is stored (docs/architecture.md)', async () => {
    const commit = campaignsPage('w-tie');
    const at = '2024-03-01T12:00:00Z';
    await commit([{ id: 't1', name: 'first', daily_limit: 10, updated_at: at }]);
    // Puffle changes some fields (counters, statuses) without moving updated_at.
    expect(await commit([{ id: 't1', name: 'first', daily_limit: 11, updated_at: at }])).toMatchObject({
      updated: 1,
      unchanged: 0,
    });
    expect(await commit([{ id: 't1', name: 'first', daily_limit: 11, updated_at: at }])).toMatchObject({
      updated: 0,
      unchanged: 1,
    });
    // The same instant written another way is still a tie, not an older version.
    expect(
      await commit([{ id: 't1', name: 'second', daily_limit: 11, updated_at: '2024-03-01T13:00:00+01:00' }]),
    ).toMatchObject({ updated: 1 });
    const [row] = await rowsOf<{ name: string; daily_limit: number }>(
      `select name, daily_limit from puffle.campaigns where id = 't1'`,
    );
    expect(row).toEqual({ name: 'second', daily_limit: 11 });
  });

  it('drops values that cannot be typed (listed in _changes), rejects only records that cannot be stored', async () => {
    const page = (records: Record<string, unknown>[]) => ({
      runId,
      stream: campaigns,
      partition: '',
      walkId: 'w-reject',
      records,
      resume: { kind: 'page' as const, page: 2 },
    });
    const counts = await commitPage(
      db,
      page([
        { id: 'r1', created_at: 'yesterday' },
        { id: 'r2', daily_limit: 'abc', name: 'kept' },
        { name: 'no id' },
        { id: 'r3', name: 'bad\u0000byte' },
        { id: 'r4', name: 'fine', daily_limit: '7', stop_on_reply: 'true', extra_field: { kept: true } },
      ]),
    );
    expect(counts).toMatchObject({ read: 5, inserted: 4, rejected: 1, dropped: 4 });
    const rejected = await rowsOf<{ reason: string; raw: Record<string, unknown>; run_id: string }>(
      `select reason, raw, run_id from puffle.rejected_records where stream = 'campaigns' order by id`,
    );
    expect(rejected).toEqual([{ reason: 'missing primary key id', raw: { name: 'no id' }, run_id: runId }]);
    const stored = await rowsOf<{
      id: string;
      name: string | null;
      daily_limit: number | null;
      changes: unknown;
    }>(
      `select id, name, daily_limit, _changes as changes, raw from puffle.campaigns
        where id in ('r1', 'r2', 'r3', 'r4') order by id`,
    );
    expect(stored).toEqual([
      {
        id: 'r1',
        name: null,
        daily_limit: null,
        changes: [{ field: 'created_at', reason: 'not an ISO 8601 timestamp', original: 'yesterday' }],
        raw: { id: 'r1', created_at: 'yesterday' },
      },
      {
        id: 'r2',
        name: 'kept',
        daily_limit: null,
        changes: [{ field: 'daily_limit', reason: 'expected an integer, got a string', original: 'abc' }],
        raw: { id: 'r2', daily_limit: 'abc', name: 'kept' },
      },
      {
        id: 'r3',
        name: null,
        daily_limit: null,
        changes: [
          { field: 'name', reason: expect.stringMatching(/NUL/), original: 'bad\\u0000byte' },
          {
            field: 'raw.name',
            reason: expect.stringMatching(/NUL.*replaced by U\+FFFD/),
            original: 'bad\\u0000byte',
          },
        ],
        raw: { id: 'r3', name: 'bad\ufffdbyte' },
      },
      {
        id: 'r4',
        name: 'fine',
        daily_limit: 7,
        changes: [],
        raw: { id: 'r4', name: 'fine', daily_limit: '7', stop_on_reply: 'true', extra_field: { kept: true } },
      },
    ]);

    // The next clean read of the same rows clears what was recorded.
    const clean = await commitPage(
      db,
      page([
        { id: 'r1', created_at: '2024-01-01T00:00:00Z' },
        { id: 'r3', name: 'good byte' },
      ]),
    );
    expect(clean).toMatchObject({ updated: 2, dropped: 0 });
    const after = await rowsOf<{ id: string; name: string | null; changes: unknown }>(
      `select id, name, _changes as changes from puffle.campaigns where id in ('r1', 'r3') order by id`,
    );
    expect(after).toEqual([
      { id: 'r1', name: null, changes: [] },
      { id: 'r3', name: 'good byte', changes: [] },
    ]);
  });

  it('leaves neither rows nor checkpoint when a statement fails mid-commit', async () => {
    await db.query(
      sql.raw(`
      create function puffle.fail_senders() returns trigger language plpgsql as $$
      begin if new.stream = 'senders' then raise exception 'injected failure'; end if; return new; end $$`),
    );
    await db.query(
      sql.raw(`create trigger fail_senders before insert or update on puffle.sync_state
        for each row execute function puffle.fail_senders()`),
    );
    try {
      await expect(
        commitPage(db, {
          runId,
          stream: senders,
          partition: '',
          walkId: 'w-atomic',
          records: [{ id: 's1' }, { id: 's2', daily_limit: 'x' }],
          resume: null,
        }),
      ).rejects.toThrow(/injected failure/);
    } finally {
      await db.query(sql.raw('drop trigger fail_senders on puffle.sync_state'));
      await db.query(sql.raw('drop function puffle.fail_senders()'));
    }
    expect(await rowsOf('select id from puffle.senders')).toEqual([]);
    expect(await rowsOf(`select 1 from puffle.rejected_records where stream = 'senders'`)).toEqual([]);
    expect(await getState(db, 'senders', '')).toBeUndefined();
    const [run] = await rowsOf<{ n: number }>(
      `select count(*)::int as n from puffle.sync_runs where stream = 'senders'`,
    );
    expect(run?.n).toBe(0);
  });

  it('sweeps deletes only when a walk completes, within the partition, and resurrects rows that return', async () => {
    const page = (walkId: string, ids: string[], partition: string, last: boolean) =>
      commitPage(db, {
        runId,
        stream: campaignLeads,
        partition,
        walkId,
        records: ids.map((id) => ({ id, name: id })),
        resume: last ? null : { kind: 'page', page: 2 },
      });
    const live = async (campaign: string) =>
      (
        await rowsOf<{ id: string }>(
          `select id from puffle.campaign_leads where campaign_id = '${campaign}' and _deleted_at is null order by id`,
        )
      ).map((r) => r.id);

    await page('a1', ['x1', 'x2', 'x3'], 'ca', true);
    await page('b1', ['y1'], 'cb', true);

    const w2 = await beginWalk(db, campaignLeads, 'ca');
    expect(await page(w2.walkId, ['x1'], 'ca', false)).toMatchObject({ deleted: 0 });
    expect(await live('ca')).toEqual(['x1', 'x2', 'x3']); // nothing swept mid-walk
    expect(await page(w2.walkId, ['x3'], 'ca', true)).toMatchObject({ deleted: 1, unchanged: 1 });
    expect(await live('ca')).toEqual(['x1', 'x3']);
    expect(await live('cb')).toEqual(['y1']); // other partition untouched

    const w3 = await beginWalk(db, campaignLeads, 'ca');
    expect(await page(w3.walkId, ['x2'], 'ca', false)).toMatchObject({ updated: 1 }); // revived by its page
    expect(await live('ca')).toEqual(['x1', 'x2', 'x3']);
    expect(await page(w3.walkId, ['x1', 'x3'], 'ca', true)).toMatchObject({
      deleted: 0,
      updated: 0,
      unchanged: 2,
    });
    expect(await live('ca')).toEqual(['x1', 'x2', 'x3']);
    expect(await rowsOf(`select 1 from puffle.walk_seen where stream = 'campaign_leads'`)).toEqual([]);
  });

  it('keeps a resumed walk (new handle, new run) with its id and seen marks, so the sweep stays correct', async () => {
    const r1 = await startRun(db, { trigger: 'schedule', streams: ['lists'] });
    const first = await beginWalk(db, lists, '');
    await commitPage(db, {
      runId: r1,
      stream: lists,
      partition: '',
      walkId: first.walkId,
      records: [{ id: 'l1' }, { id: 'l2' }, { id: 'l3' }],
      resume: null,
    });
    const w = await beginWalk(db, lists, '');
    await commitPage(db, {
      runId: r1,
      stream: lists,
      partition: '',
      walkId: w.walkId,
      records: [{ id: 'l1' }],
      resume: { kind: 'cursor', cursor: 'c2' },
    });

    // "Crash": another process (a second handle; for PGlite the first must let go) and another run.
    let other: Database;
    if (kind === 'pglite') {
      await db.close();
      other = await t.reopen();
    } else {
      other = await t.reopen();
    }
    const resumed = await beginWalk(other, lists, '');
    expect(resumed).toEqual({
      walkId: w.walkId,
      resume: { kind: 'cursor', cursor: 'c2' },
      resumed: true,
      highWater: null,
    });
    const r2 = await startRun(other, { trigger: 'manual', streams: ['lists'] });
    const counts = await commitPage(other, {
      runId: r2,
      stream: lists,
      partition: '',
      walkId: resumed.walkId,
      records: [{ id: 'l3' }],
      resume: null,
    });
    expect(counts.deleted).toBe(1);
    const rows = await queryRows<{ id: string; deleted: boolean }>(
      other,
      'select id, _deleted_at is not null as deleted from puffle.lists order by id',
    );
    expect(rows).toEqual([
      { id: 'l1', deleted: false },
      { id: 'l2', deleted: true },
      { id: 'l3', deleted: false },
    ]);
    expect(await getState(other, 'lists', '')).toMatchObject({ complete: true, resume: null, pages: 2 });
    db = other;
  });

  it('never sweeps accumulate or incremental streams', async () => {
    for (const stream of [leadSearchTasks, signals]) {
      const key = stream.name;
      await commitPage(db, {
        runId,
        stream,
        partition: '',
        walkId: `${key}-1`,
        records: [{ id: `${key}-a`, created_at: '2024-01-01T00:00:00Z' }, { id: `${key}-b` }],
        resume: null,
      });
      const counts = await commitPage(db, {
        runId,
        stream,
        partition: '',
        walkId: `${key}-2`,
        records: [{ id: `${key}-c` }],
        resume: null,
      });
      expect(counts.deleted).toBe(0);
      const [n] = await rowsOf<{ n: number }>(
        `select count(*)::int as n from puffle.${key} where _deleted_at is null`,
      );
      expect(n?.n).toBe(3);
    }
  });

  it('reads dotted sources and fills the partition column; tracks the incremental high-water mark', async () => {
    await commitPage(db, {
      runId,
      stream: enrichmentItems,
      partition: 'run_1',
      walkId: 'w-items',
      records: [
        { id: 'i1', leadId: 'lead-1', timing: { createdAt: '2024-03-01T10:00:00Z', updatedAt: null } },
      ],
      resume: null,
    });
    const [item] = await rowsOf(
      `select run_id, lead_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as created, updated_at from puffle.enrichment_items`,
    );
    expect(item).toEqual({
      run_id: 'run_1',
      lead_id: 'lead-1',
      created: '2024-03-01 10:00',
      updated_at: null,
    });

    await commitPage(db, {
      runId,
      stream: signals,
      partition: '',
      walkId: 'sig-hw',
      records: [{ id: 'sig-new', createdAt: '2025-05-01T10:00:00.123456Z' }],
      resume: { kind: 'cursor', cursor: 'n' },
      trackHighWater: true,
    });
    expect((await getState(db, 'signals', ''))?.highWater).toBeNull(); // moves only at completion
    await commitPage(db, {
      runId,
      stream: signals,
      partition: '',
      walkId: 'sig-hw',
      records: [],
      resume: null,
      trackHighWater: true,
    });
    expect((await getState(db, 'signals', ''))?.highWater).toBe('2025-05-01T10:00:00.123456Z');
    expect(await maxCursor(db, 'signals', 'created_at')).toBe('2025-05-01T10:00:00.123456Z');

    // A row newer than the walk's start (written by someone else meanwhile, e.g. a webhook sync):
    // the mark stops at the walk's start, so the next walk re-reads what this one could not see.
    const walk = await beginWalk(db, signals, '', { restart: true });
    const walkStartedAt = (await getState(db, 'signals', ''))!.startedAt;
    await commitPage(db, {
      runId,
      stream: signals,
      partition: '',
      walkId: walk.walkId,
      records: [{ id: 'sig-later', createdAt: '2030-05-01T10:00:00.123456Z' }],
      resume: null,
      trackHighWater: true,
    });
    expect((await getState(db, 'signals', ''))?.highWater).toBe(walkStartedAt);
    expect(await maxCursor(db, 'signals', 'created_at')).toBe('2030-05-01T10:00:00.123456Z');
    expect(await maxCursor(db, 'research_people', 'created_at')).toBeUndefined();
    await expect(maxCursor(db, 'signals', 'nope; drop table x')).rejects.toThrow(/not in the schema/);
  });

  it('validates sync_state on read', async () => {
    await commitPage(db, {
      runId,
      stream: campaigns,
      partition: '',
      walkId: 'w-state',
      records: [],
      resume: { kind: 'page', page: 3 },
    });
    expect((await getState(db, 'campaigns', ''))?.resume).toEqual({ kind: 'page', page: 3 });
    await db.query(
      sql.raw(
        `update puffle.sync_state set resume = '{"kind":"page","page":"x"}' where stream = 'campaigns'`,
      ),
    );
    await expect(getState(db, 'campaigns', '')).rejects.toBeInstanceOf(SyncStateInvalidError);
    await db.query(sql.raw(`delete from puffle.sync_state where stream = 'campaigns'`));
  });

  it('keeps run counters per stream and per run, with redacted error messages', async () => {
    const id = await startRun(db, { trigger: 'backfill', streams: ['senders'] });
    await startStreamRun(db, id, 'senders', { cursorBefore: 'hw-1' });
    await commitPage(db, {
      runId: id,
      stream: senders,
      partition: '',
      walkId: 'w-runs',
      records: [{ id: 'sx1' }, { id: 'sx2', daily_limit: 'bad' }, { daily_limit: 1 }],
      resume: null,
    });
    expect(await runRowClosed(db, id, 'senders')).toBe(false);
    expect(await runRowClosed(db, id, 'no_such_stream')).toBe(false);
    await finishStreamRun(db, id, 'senders', {
      status: 'failed',
      error: runErrorOf(new Error('boom with pk_live_abcdefgh1234')),
      requests: 3,
      retries: 1,
      rateLimitWaitMs: 1500,
      rateLimited: 1,
      requestsByStatus: { '200': 2, '429': 1 },
    });
    expect([await runRowClosed(db, id, 'senders'), await runRowClosed(db, id)]).toEqual([true, false]);
    await finishRun(db, id, {
      status: 'partial',
      error: { code: 'retryable', name: 'RetryableError', message: 'x' },
    });
    expect(await runRowClosed(db, id)).toBe(true);
    const rows = await queryRows(
      db,
      sql.raw(`select stream, trigger, status, pages, records_read, inserted, rejected, values_dropped, requests, retries, rate_limited,
        rate_limit_wait_seconds, requests_by_status, cursor_before, error_code, error_class, error_message,
        finished_at is not null as finished
        from puffle.sync_runs where run_id = '${id}' order by stream`),
    );
    expect(rows).toEqual([
      {
        stream: '*',
        trigger: 'backfill',
        status: 'partial',
        pages: 1,
        records_read: 3,
        inserted: 2,
        rejected: 1,
        values_dropped: 1,
        requests: 3,
        retries: 1,
        rate_limited: 1,
        rate_limit_wait_seconds: 1.5,
        requests_by_status: { '200': 2, '429': 1 },
        cursor_before: null,
        error_code: 'retryable',
        error_class: 'RetryableError',
        error_message: 'x',
        finished: true,
      },
      {
        stream: 'senders',
        trigger: 'backfill',
        status: 'failed',
        pages: 1,
        records_read: 3,
        inserted: 2,
        rejected: 1,
        values_dropped: 1,
        requests: 3,
        retries: 1,
        rate_limited: 1,
        rate_limit_wait_seconds: 1.5,
        requests_by_status: { '200': 2, '429': 1 },
        cursor_before: 'hw-1',
        error_code: 'error',
        error_class: 'Error',
        error_message: 'boom with pk_live_<redacted>',
        finished: true,
      },
    ]);
  });

  it('pageLanded: true only for the page the checkpoint is at, in the same walk', async () => {
    const walkId = 'w-landed';
    const base = { runId, stream: lists, partition: '', walkId };
    const first = {
      ...base,
      records: [{ id: 'pl1', name: 'a' }],
      resume: { kind: 'cursor' as const, cursor: 'c2' },
    };
    const last = { ...base, records: [{ id: 'pl2', name: 'b' }], resume: null };
    expect(await pageLanded(db, first)).toBe(false);
    await commitPage(db, first);
    expect(await pageLanded(db, first)).toBe(true);
    // Key order differs after a jsonb round trip; equality is on the value.
    expect(await pageLanded(db, { ...first, resume: { cursor: 'c2', kind: 'cursor' as const } })).toBe(true);
    expect(await pageLanded(db, last)).toBe(false);
    expect(await pageLanded(db, { ...first, walkId: 'another-walk' })).toBe(false);
    await commitPage(db, last);
    expect(await pageLanded(db, last)).toBe(true);
    expect(await pageLanded(db, first)).toBe(false);
  });
});
