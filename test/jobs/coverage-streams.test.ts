/**
 * The streams of issue 15 that only this file covers end to end: network connections (a page walk
 * bounded by `totalPages`), the list sheets (columns, rows and their cells in `list_cells`),
 * research reports (re-walked when the person moves) and the opt-in connection details. Each is
 * synced from the simulator over HTTP into Postgres and compared with what it serves, then again
 * after changes in Puffle.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { apiKeyId, createPuffleClient, createRequestBudget } from '../../src/extract/index.ts';
import { DEFAULT_STREAMS, getStream, STREAM_NAMES, type StreamName } from '../../src/extract/streams.ts';
import { collectStatus, formatStatus } from '../../src/jobs/status/index.ts';
import { openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { walkAll } from '../extract/sim-helpers.ts';
import { describeDiff, diffChildTable, diffTable, isExact } from '../helpers/compare-tables.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const SHEETS: StreamName[] = ['lists', 'list_columns', 'list_rows'];
const NEW: StreamName[] = [...SHEETS, 'network_connections', 'research_people', 'research_reports'];

async function diffs(url: string, sim: Simulator, streams: readonly StreamName[]): Promise<string[]> {
  const db = await openDatabase({ databaseUrl: url, dataDir: '', schema: 'puffle' });
  try {
    const out = [];
    for (const s of streams) out.push(await diffTable(db, sim, s));
    if (streams.includes('list_rows')) out.push(await diffChildTable(db, sim, 'list_cells'));
    return out.filter((d) => !isExact(d) || d.expected === 0).map(describeDiff);
  } finally {
    await db.close();
  }
}

const requestsTo = (sim: Simulator, pattern: RegExp, from = 0) =>
  sim.requests.slice(from).filter((r) => pattern.test(r.path));

describe('network connections, list sheets and research reports', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    // Scale 300: the first list has 600 sheet rows (two 500-row offset pages), 450 connections (5 pages).
    sim = await startSimulator({ scale: 300, seed: 15, rateLimit: null });
    pg = await createTestDatabase('coverage');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('syncs each exactly, cells included, in pages of the documented sizes', async () => {
    const summary = await syncOnce(sim, { databaseUrl: pg.url }, { streams: NEW });
    expect(summary.status).toBe('succeeded');
    expect(await diffs(pg.url, sim, NEW)).toEqual([]);
    const rowPages = requestsTo(sim, /\/rows$/).map((r) => `${r.query.offset}/${r.query.limit}`);
    expect(rowPages).toContain('500/500');
    const connectionPages = requestsTo(sim, /^\/api\/network\/connections$/);
    expect(connectionPages.map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5']);
    expect(sim.sideEffectCalls).toBe(0);
  });

  it('follows changes: rows and columns removed or added, a person re-enriched, a connection gone', async () => {
    const [list, rows] = firstListWithRows(sim);
    const columns = [...sim.expected('list_columns')].filter((e) => e.partition === list);
    sim.mutate.remove('list_rows', String(rows[0]!.id), list);
    sim.mutate.update('list_rows', String(rows[1]!.id), { source: 'csv-reimport' }, list);
    sim.mutate.remove('list_columns', String(columns[0]!.record.id), list);
    sim.mutate.insert('list_columns', list, { name: 'Hiring now?', responseType: 'boolean', source: 'ai' });
    const people = [...sim.expected('research_people')].filter((e) => e.record.last_enriched_at);
    const person = String(people[0]!.record.id);
    sim.mutate.update('research_people', person, { last_enriched_at: '2026-02-01T00:00:00.000Z' });
    const connection = String([...sim.expected('network_connections')][3]!.record.id);
    sim.mutate.remove('network_connections', connection);

    const before = sim.requests.length;
    const summary = await syncOnce(sim, { databaseUrl: pg.url }, { streams: NEW });
    expect(summary.status).toBe('succeeded');
    expect(await diffs(pg.url, sim, NEW)).toEqual([]);
    // Only the moved person's report is asked for again.
    expect(requestsTo(sim, /^\/api\/v1\/research\/.+/, before).map((r) => r.path)).toEqual([
      `/api/v1/research/${person}`,
    ]);

    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const [cells] = await db.query<{ removed_row: number; removed_column: number }>(sql`
        select count(*) filter (where row_id = ${String(rows[0]!.id)})::int as removed_row,
          count(*) filter (where column_id = ${String(columns[0]!.record.id)})::int as removed_column
        from puffle.list_cells where list_id = ${list} and _deleted_at is not null`);
      expect(cells!.removed_row).toBe(columns.length);
      expect(cells!.removed_column).toBe(rows.length);
      const [gone] = await db.query<{ deleted: boolean }>(
        sql`select _deleted_at is not null as deleted from puffle.network_connections where id = ${connection}`,
      );
      expect(gone!.deleted).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('walks network connections filtered after paging (hasMessages) past short and empty pages', async () => {
    const apiKey = sim.keys[0]!;
    const budget = createRequestBudget({ perMinute: 1_000_000, keyId: apiKeyId(apiKey), safetyMargin: 0 });
    const client = createPuffleClient({ baseUrl: sim.url, apiKey, budget });
    const before = sim.requests.length;
    const walked = await walkAll(client, getStream('network_connections'), '', {
      query: { hasMessages: 'true' },
    }).finally(() => client.close());
    const got = walked.records.map((r) => String(r.id));
    const last = walked.pages.at(-1)?.resume;
    const want = [...sim.expected('network_connections')]
      .filter((e) => Number(e.record.message_count) > 0)
      .map((e) => String(e.record.id));
    expect(got).toEqual(want);
    expect(last).toBeNull();
    const sizes = requestsTo(sim, /^\/api\/network\/connections$/, before);
    // Every page up to totalPages was asked for, though each came back short.
    expect(sizes.map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5']);
    expect(sim.count('network_connections')).toBeGreaterThan(400);
    expect(got.length).toBeLessThan(200);
  });
});

describe('network_connection_details is opt-in', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 16, rateLimit: null });
    pg = await createTestDatabase('optin');
  });
  afterAll(async () => {
    await sim?.close();
    await pg?.drop();
  });

  it('is off by default and said to be so, on when selected, then walks only new or changed connections', async () => {
    const config = loadConfig({ PUFFLE_API_BASE_URL: sim.url });
    expect(config.streams).toEqual(DEFAULT_STREAMS);
    expect(config.streams).not.toContain('network_connection_details');
    expect(DEFAULT_STREAMS).toEqual(STREAM_NAMES.filter((s) => s !== 'network_connection_details'));

    const first = await syncOnce(sim, { databaseUrl: pg.url }, { streams: [...config.streams] });
    expect(first.status).toBe('succeeded');
    expect(requestsTo(sim, /\/detail$/)).toHaveLength(0);
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    try {
      const status = await collectStatus(db, { streams: config.streams });
      const selected = Object.fromEntries(status.streams.map((s) => [s.stream, s.selected]));
      expect(selected.network_connection_details).toBe('off (opt-in)');
      expect(selected.network_connections).toBe('on');
      expect(formatStatus(status)).toMatch(/network_connection_details\s+off \(opt-in\)/);
      const chosen = await collectStatus(db, { streams: ['network_connection_details'] });
      expect(chosen.streams.find((s) => s.stream === 'network_connection_details')!.selected).toBe('on');
      expect(chosen.streams.find((s) => s.stream === 'leads')!.selected).toBe('off');
    } finally {
      await db.close();
    }

    const selection = loadConfig({
      PUFFLE_API_BASE_URL: sim.url,
      PUFFLE_SYNC_STREAMS: 'network_connections,network_connection_details',
    }).streams;
    const connections = sim.count('network_connections');
    let from = sim.requests.length;
    const second = await syncOnce(sim, { databaseUrl: pg.url }, { streams: selection });
    expect(second.status).toBe('succeeded');
    expect(requestsTo(sim, /\/detail$/, from)).toHaveLength(connections);
    expect(await diffs(pg.url, sim, ['network_connections', 'network_connection_details'])).toEqual([]);

    const listed = [...sim.expected('network_connections')].map((e) => e.record);
    const messaged = String(listed[2]!.id);
    sim.mutate.update('network_connections', messaged, {
      message_count: Number(listed[2]!.message_count) + 1,
    });
    sim.mutate.update('network_connections', String(listed[4]!.id), { position: 'Founder' });
    const added = sim.mutate.insert('network_connections', '', { message_count: 2, enriched_at: null });
    from = sim.requests.length;
    const third = await syncOnce(sim, { databaseUrl: pg.url }, { streams: selection });
    expect(third.status).toBe('succeeded');
    expect(
      requestsTo(sim, /\/detail$/, from)
        .map((r) => r.path)
        .sort(),
    ).toEqual(
      [`/api/network/connections/${added.id}/detail`, `/api/network/connections/${messaged}/detail`].sort(),
    );
    expect(await diffs(pg.url, sim, ['network_connections', 'network_connection_details'])).toEqual([]);
  });

  it('refuses an unknown stream name in the selection in one line', () => {
    let error: unknown;
    try {
      loadConfig({ PUFFLE_SYNC_STREAMS: 'network_connections,network_conections' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PUFFLE_SYNC_STREAMS');
    expect(message).toContain('"network_conections"');
    expect(message).not.toContain('\n');
  });
});

function firstListWithRows(sim: Simulator): [string, Record<string, unknown>[]] {
  const byList = new Map<string, Record<string, unknown>[]>();
  for (const { partition, record } of sim.expected('list_rows'))
    byList.set(partition, [...(byList.get(partition) ?? []), record]);
  const [list, rows] = [...byList].find(([, r]) => r.length >= 3)!;
  return [list, rows];
}
