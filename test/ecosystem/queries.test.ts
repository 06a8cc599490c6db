/**
 * Every query in docs/queries.sql runs against a database synced from the simulator, returns
 * rows, and agrees with what the simulator served.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import { parseQueries } from '../helpers/queries-file.ts';
import { type SyncedDatabase, syncedDatabase } from './synced-fixture.ts';

const queries = parseQueries();
const byName = (name: string) => queries.find((q) => q.name === name)!;

describe('docs/queries.sql', () => {
  let synced: SyncedDatabase;
  let client: pg.Client;
  const results = new Map<string, Record<string, unknown>[]>();

  beforeAll(async () => {
    synced = await syncedDatabase('queries', { scale: 150, seed: 8 });
    client = new pg.Client({ connectionString: synced.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await synced?.close();
  });

  it('has the promised queries, each named, described and a single statement', () => {
    expect(queries.map((q) => q.name)).toEqual(
      expect.arrayContaining([
        'campaign_reply_rate_by_week',
        'prospects_per_status',
        'signals_per_type_per_week',
        'thread_response_times',
        'list_growth',
        'freshness',
        'sync_freshness',
        'sender_daily_usage',
      ]),
    );
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries) {
      expect(q.description.length, q.name).toBeGreaterThan(20);
      expect(q.sql, q.name).not.toContain(';');
    }
  });

  it.each(queries.map((q) => [q.name, q] as const))('%s runs and returns rows', async (name, q) => {
    const { rows } = await client.query(q.sql);
    expect(rows.length, name).toBeGreaterThan(0);
    results.set(name, rows);
  });

  it('agrees with the data the simulator served', async () => {
    const { sim } = synced;
    const rowsOf = async (name: string) => results.get(name) ?? (await client.query(byName(name).sql)).rows;
    const sum = (rows: Record<string, unknown>[], column: string) =>
      rows.reduce((n, r) => n + Number(r[column]), 0);

    expect(sum(await rowsOf('prospects_per_status'), 'prospects')).toBe(sim.count('campaign_leads'));
    expect(sum(await rowsOf('signals_per_type_per_week'), 'signals')).toBe(sim.count('signals'));

    const replies = await rowsOf('campaign_reply_rate_by_week');
    let replied = 0;
    for (const { record } of sim.expected('campaign_leads'))
      if (record.replied_at || record.status === 'replied') replied += 1;
    expect(sum(replies, 'replied')).toBe(replied);
    for (const r of replies) expect(Number(r.reply_rate_pct)).toBeLessThanOrEqual(100);

    const turns = await rowsOf('thread_response_times');
    expect(sum(turns, 'answered')).toBeLessThanOrEqual(sum(turns, 'turns'));
    expect(sum(turns, 'answered')).toBeGreaterThan(0);

    const growth = await rowsOf('list_growth');
    const members = new Map<string, number>();
    for (const { partition } of sim.expected('list_leads'))
      members.set(partition, (members.get(partition) ?? 0) + 1);
    const lastSize = new Map<string, number>();
    for (const r of growth) lastSize.set(String(r.list_id), Number(r.size_at_week_end));
    expect(Object.fromEntries(lastSize)).toEqual(Object.fromEntries(members));

    // One chart point per sender and day: today's sends of each sender, as Puffle reported them.
    const today = new Date().toISOString().slice(0, 10);
    const usage = new Map<string, number>();
    for (const { record } of sim.expected('campaign_account_usage', { date: today }))
      usage.set(String(record.account_id), Number(record.sent_today));
    const points = await rowsOf('sender_daily_usage');
    // node-pg reads a `date` as local midnight.
    expect(new Set(points.map((r) => (r.day as Date).toLocaleDateString('sv')))).toEqual(new Set([today]));
    expect(Object.fromEntries(points.map((r) => [r.account_id, Number(r.sent)]))).toEqual(
      Object.fromEntries(usage),
    );

    for (const r of await rowsOf('freshness')) expect(r.last_run_status, String(r.stream)).toBe('succeeded');
    const views = queries.filter((q) => q.sql.includes('puffle_analytics.')).map((q) => q.name);
    expect(views.length, 'queries on the clean views').toBeGreaterThanOrEqual(4);

    const fresh = await rowsOf('sync_freshness');
    expect(fresh.map((r) => r.stream).sort()).toEqual([...STREAM_NAMES].sort());
    for (const r of fresh) expect(r.last_success, String(r.stream)).not.toBeNull();
  });
});
