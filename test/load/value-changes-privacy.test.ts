/**
 * `_changes` keeps the original of a dropped value, so it must never hold one the personal-data
 * controls remove or hash: the policy runs before the mapping, and re-applying a new policy to
 * stored rows strips the originals it can no longer vouch for.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream, STREAMS } from '../../src/extract/streams.ts';
import {
  buildPrivacyPolicy,
  commitPage,
  type Database,
  queryRows,
  reapplyPrivacy,
  startRun,
} from '../../src/load/index.ts';
import { createLogger } from '../../src/log.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

const threads = getStream('threads');
const KEY = 'k'.repeat(40);

describe('_changes and the personal-data controls', () => {
  let t: TestDatabase;
  let db: Database;
  let runId: string;

  beforeAll(async () => {
    t = await openTestDatabase('postgres', 'changes_privacy');
    db = t.database;
    runId = await startRun(db, { trigger: 'manual', streams: ['threads'] });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const policy = (exclude: string[], hash: string[]) =>
    buildPrivacyPolicy({ exclude, hash, hashKey: KEY }, { streams: STREAMS, tables: db.tables });
  const commit = (walkId: string, records: Record<string, unknown>[]) =>
    commitPage(db, {
      runId,
      stream: threads,
      partition: '',
      walkId,
      records,
      resume: { kind: 'page', page: 2 },
    });
  const stored = async (id: string) => {
    const [row] = await queryRows<{ changes: string; raw: string }>(
      db,
      `select _changes::text as changes, raw::text as raw from puffle.threads where id = '${id}'`,
    );
    return row!;
  };

  it('an excluded or hashed column never reaches _changes, even when its value is poison', async () => {
    db.privacy = policy(['threads.participant_name'], ['threads.participant_email']);
    try {
      await commit('w1', [
        {
          id: 't1',
          participant_name: 'Ada SECRET-NAME \ud83d',
          participant_email: 'ada-secret@x.test\u0000',
          last_message_snippet: 'cut \ud83d',
        },
      ]);
    } finally {
      db.privacy = undefined;
    }
    const row = await stored('t1');
    const changes = JSON.parse(row.changes) as { field: string }[];
    expect(changes.map((c) => c.field)).toEqual(['last_message_snippet', 'raw.last_message_snippet']);
    for (const text of [row.changes, row.raw]) {
      expect(text).not.toContain('SECRET-NAME');
      expect(text).not.toContain('ada-secret');
    }
  });

  it('a policy applied to stored rows later strips the originals it now covers', async () => {
    await commit('w2', [{ id: 't2', last_message_snippet: 'private words \ud83d' }]);
    expect((await stored('t2')).changes).toContain('private words');
    db.privacy = policy([], ['threads.last_message_snippet']);
    try {
      expect(await reapplyPrivacy(db, threads, runId)).toBeGreaterThanOrEqual(1);
    } finally {
      db.privacy = undefined;
    }
    const row = await stored('t2');
    expect(row.changes).not.toContain('private words');
    expect(row.raw).not.toContain('private words');
    expect(JSON.parse(row.changes)).toEqual([
      { field: 'last_message_snippet', reason: expect.stringMatching(/surrogate/), original: null },
      { field: 'raw.last_message_snippet', reason: expect.stringMatching(/surrogate/), original: null },
    ]);
  });

  it('logs one line per stream, field and reason, with the row count and never the value', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const logged = { ...db, logger: createLogger({ level: 'warn', destination }) };
    await commitPage(logged, {
      runId,
      stream: threads,
      partition: '',
      walkId: 'w-log',
      records: [
        { id: 't3', participant_name: 'Grace HIDDEN-ONE \ud83d' },
        { id: 't4', participant_name: 'Alan HIDDEN-TWO \ud83d', unread_count: 99999999999 },
      ],
      resume: { kind: 'page', page: 2 },
    });
    expect(lines.map((l) => [l.field, l.rows])).toEqual([
      ['participant_name', 2],
      ['raw.participant_name', 2],
      ['unread_count', 1],
    ]);
    expect(lines.every((l) => l.stream === 'threads' && typeof l.reason === 'string')).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('HIDDEN');
    expect(text).not.toContain('99999999999');
  });
});
