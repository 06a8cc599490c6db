import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream, type StreamName } from '../../src/extract/streams.ts';
import { beginWalk, commitPage, type Database, listPartitions, startRun } from '../../src/load/index.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

describe('listPartitions (PGlite)', () => {
  let t: TestDatabase;
  let db: Database;
  let runId: string;
  beforeAll(async () => {
    t = await openTestDatabase('pglite', 'partitions');
    db = t.database;
    runId = await startRun(db, { trigger: 'manual', streams: [] });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const walk = async (name: StreamName, partition: string, records: Record<string, unknown>[]) => {
    const stream = getStream(name);
    const w = await beginWalk(db, stream, partition);
    return commitPage(db, { runId, stream, partition, walkId: w.walkId, records, resume: null });
  };

  it('gives root streams one partition and fan-out streams their values', async () => {
    expect(await listPartitions(db, getStream('campaigns'))).toEqual(['']);
    expect(await listPartitions(db, getStream('signal_leads'))).toEqual(['person', 'company']);
  });

  it('lists live parents, without soft-deleted ones', async () => {
    await walk('lists', '', [{ id: 'b' }, { id: 'a' }, { id: 'gone' }]);
    await walk('lists', '', [{ id: 'b' }, { id: 'a' }]);
    expect(await listPartitions(db, getStream('list_leads'))).toEqual(['a', 'b']);
  });

  it('re-walks thread messages only for threads whose last_message_at moved since their last complete walk', async () => {
    await walk('threads', '', [
      { id: 't1', last_message_at: '2024-01-01T00:00:00Z' },
      { id: 't2', last_message_at: '2024-01-01T00:00:00Z' },
    ]);
    const messages = getStream('thread_messages');
    expect(await listPartitions(db, messages)).toEqual(['t1', 't2']);
    await walk('thread_messages', 't1', [{ id: 'm1' }]);
    await walk('thread_messages', 't2', [{ id: 'm2' }]);
    expect(await listPartitions(db, messages)).toEqual([]);

    await walk('threads', '', [
      { id: 't1', last_message_at: '2024-01-02T00:00:00Z' },
      { id: 't2', last_message_at: '2024-01-01T00:00:00Z' },
    ]);
    expect(await listPartitions(db, messages)).toEqual(['t1']);
    expect(await listPartitions(db, messages, { fullRefresh: true })).toEqual(['t1', 't2']);

    // An unfinished walk stays listed until it completes.
    const w = await beginWalk(db, messages, 't1');
    await commitPage(db, {
      runId,
      stream: messages,
      partition: 't1',
      walkId: w.walkId,
      records: [{ id: 'm3' }],
      resume: { kind: 'page', page: 2 },
    });
    expect(await listPartitions(db, messages)).toEqual(['t1']);
    await commitPage(db, {
      runId,
      stream: messages,
      partition: 't1',
      walkId: w.walkId,
      records: [],
      resume: null,
    });
    expect(await listPartitions(db, messages)).toEqual([]);
  });

  it('walks completed lead searches once', async () => {
    await walk('lead_search_tasks', '', [
      { id: 'k1', status: 'completed' },
      { id: 'k2', status: 'running' },
      { id: 'k3', status: 'completed' },
    ]);
    const results = getStream('lead_search_results');
    expect(await listPartitions(db, results)).toEqual(['k1', 'k3']);
    await walk('lead_search_results', 'k1', [{ id: 'r1' }]);
    expect(await listPartitions(db, results)).toEqual(['k3']);
  });

  it('follows enrichment runs until they finish, then walks their items one last time', async () => {
    const runs = getStream('enrichment_runs');
    const items = getStream('enrichment_items');
    expect(await listPartitions(db, runs, { configuredIds: ['run_b', 'run_a'] })).toEqual(['run_a', 'run_b']);
    await walk('enrichment_runs', 'run_a', [{ id: 'run_a', status: 'running' }]);
    await walk('enrichment_runs', 'run_b', [{ id: 'run_b', status: 'completed' }]);
    expect(await listPartitions(db, runs)).toEqual(['run_a']);
    expect(await listPartitions(db, runs, { fullRefresh: true })).toEqual(['run_a', 'run_b']);

    expect(await listPartitions(db, items)).toEqual(['run_a', 'run_b']);
    await walk('enrichment_items', 'run_a', [{ id: 'i1' }]);
    await walk('enrichment_items', 'run_b', [{ id: 'i2' }]);
    expect(await listPartitions(db, items)).toEqual(['run_a']); // still running: walked again
    await walk('enrichment_runs', 'run_a', [{ id: 'run_a', status: 'failed' }]);
    expect(await listPartitions(db, items)).toEqual(['run_a']); // finished since its items were walked
    await walk('enrichment_items', 'run_a', [{ id: 'i1' }]);
    expect(await listPartitions(db, items)).toEqual([]);
  });
});
