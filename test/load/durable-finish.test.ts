/**
 * Page commits are asynchronous (synchronous_commit=off on the sync's sessions); the commit that
 * reports a stream or a run finished is synchronous, and WAL order then makes every page before it
 * durable. A trigger records the setting each write to sync_runs ran under.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import {
  beginWalk,
  commitPage,
  type Database,
  finishRun,
  finishStreamRun,
  queryRows,
  startRun,
} from '../../src/load/index.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

describe('durability of a finished run on postgres', () => {
  let t: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    t = await openTestDatabase('postgres', 'durable');
    db = t.database;
    await db.query(
      sql.raw(`create table puffle.commit_modes (what text, mode text);
        create function puffle.record_mode() returns trigger language plpgsql as $$
          begin insert into puffle.commit_modes
            values (new.stream || ':' || new.status, current_setting('synchronous_commit')); return new; end $$;
        create trigger record_mode after insert or update on puffle.sync_runs
          for each row execute function puffle.record_mode();`),
    );
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('commits pages asynchronously and the finish of a stream and of the run synchronously', async () => {
    const stream = getStream('campaigns');
    const runId = await startRun(db, { trigger: 'manual', streams: ['campaigns'] });
    const walk = await beginWalk(db, stream, '');
    await commitPage(db, {
      runId,
      stream,
      partition: '',
      walkId: walk.walkId,
      records: [{ id: 'c1' }],
      resume: null,
    });
    const modes = () =>
      queryRows<{ what: string; mode: string }>(db, 'select what, mode from puffle.commit_modes');
    const page = await modes();
    expect(page.map((m) => m.what)).toContain('campaigns:running');
    expect(new Set(page.map((m) => m.mode))).toEqual(new Set(['off']));
    await finishStreamRun(db, runId, 'campaigns', { status: 'succeeded' });
    await finishRun(db, runId, 'succeeded');
    const all = await modes();
    expect(all.filter((m) => m.what === 'campaigns:succeeded').map((m) => m.mode)).toEqual(['on']);
    expect(all.filter((m) => m.what === '*:succeeded').map((m) => m.mode)).toEqual(['on']);
  });
});
