import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream, type StreamName } from '../../src/extract/streams.ts';
import { beginWalk, commitPage, type Database, startRun } from '../../src/load/index.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

/** One page per stream, exercising every column type, nesting, camelCase and dotted sources. */
const PAGES: { stream: StreamName; partition: string; records: Record<string, unknown>[] }[] = [
  {
    stream: 'campaigns',
    partition: '',
    records: [
      {
        id: 'c1',
        name: 'Q1 outbound',
        status: 'active',
        daily_limit: 40,
        stop_on_reply: true,
        stats: { sent: 10, replied: 2 },
        sender_accounts: [{ id: 's1' }],
        created_at: '2024-01-01T08:00:00.123456Z',
        updated_at: '2024-01-02 09:30:00+02',
      },
      { id: 'c2', name: 'Ünïcødé ✓', operating_hours: null, created_at: '2024-02-29' },
    ],
  },
  {
    stream: 'campaign_senders',
    partition: 'c1',
    records: [{ account_id: 'a1', daily_limit: '30', is_premium: false }],
  },
  {
    stream: 'leads',
    partition: '',
    records: [
      {
        id: 'L1',
        type: 'person',
        name: { full: 'Ada L', first: 'Ada' },
        company: { name: 'X', domain: 'x.io' },
        createdAt: '2024-03-01T00:00:00Z',
        raw: { vendor: 1 },
      },
    ],
  },
  {
    stream: 'signals',
    partition: '',
    records: [
      { id: 'g1', score: 2.5, confidence: '0.9', createdAt: '2024-04-01T00:00:00Z', entityCompany: 'Acme' },
    ],
  },
  {
    stream: 'enrichment_runs',
    partition: 'run_1',
    records: [
      {
        id: 'run_1',
        status: 'running',
        enrichment: { id: 'e', slug: 'email' },
        timing: { startedAt: '2024-05-01T00:00:00Z' },
      },
    ],
  },
  {
    stream: 'account',
    partition: '',
    records: [{ id: 'me', email: 'a@b.c', fullName: 'A B', profile: { firstName: 'A', lastName: 'B' } }],
  },
];

describe('PGlite and Postgres', () => {
  let pg: TestDatabase;
  let lite: TestDatabase;
  beforeAll(async () => {
    [pg, lite] = await Promise.all([
      openTestDatabase('postgres', 'parity'),
      openTestDatabase('pglite', 'parity'),
    ]);
  });
  afterAll(async () => {
    await pg?.dispose();
    await lite?.dispose();
  });

  const load = async (database: Database) => {
    const runId = await startRun(database, {
      trigger: 'manual',
      streams: PAGES.map((p) => p.stream),
      runId: 'run-parity',
    });
    const counts = [];
    for (const p of PAGES) {
      const stream = getStream(p.stream);
      const walk = await beginWalk(database, stream, p.partition, { walkId: 'walk-parity' });
      counts.push(
        await commitPage(database, {
          runId,
          stream,
          partition: p.partition,
          walkId: walk.walkId,
          records: p.records,
          resume: null,
        }),
      );
    }
    return counts;
  };

  const dump = async (database: Database, stream: StreamName) =>
    database.query(
      sql`select to_jsonb(t) - '_synced_at' as row from ${sql.identifier(database.schema)}.${sql.identifier(stream)} as t order by raw::text`,
    );

  it('give identical rows, counts and state for the same pages', async () => {
    const [a, b] = await Promise.all([load(pg.database), load(lite.database)]);
    expect(b).toEqual(a);
    for (const stream of [...new Set(PAGES.map((p) => p.stream))]) {
      const rows = await dump(pg.database, stream);
      expect(rows.length).toBeGreaterThan(0);
      expect(await dump(lite.database, stream)).toEqual(rows);
    }
    const state = (d: Database) =>
      d.query(
        sql`select stream, partition, walk_id, resume, complete, pages from puffle.sync_state order by 1, 2`,
      );
    expect(await state(lite.database)).toEqual(await state(pg.database));
    const [campaign] = await pg.database.query(
      sql`select updated_at::text as u, created_at::text as c from puffle.campaigns where id = 'c1'`,
    );
    expect(campaign).toEqual({ u: '2024-01-02 07:30:00+00', c: '2024-01-01 08:00:00.123456+00' });
  });
});
