import { describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import { mapRecord, PK_SEPARATOR, planTable } from '../../src/load/row-mapper.ts';
import { buildTables } from '../../src/load/schema.ts';
import { jsonHasUnstorable } from '../../src/load/unstorable-text.ts';

const tables = buildTables('puffle');
const columnValue = (
  plan: ReturnType<typeof planTable>,
  mapped: ReturnType<typeof mapRecord>,
  column: string,
) => {
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.values[plan.columns.findIndex((c) => c.name === column)];
};

describe('mapRecord', () => {
  it('reads snake_case, then camelCase, and keeps the record as raw', () => {
    const plan = planTable(tables.leads, getStream('leads'));
    const record = {
      id: 'L1',
      createdAt: '2024-01-01T00:00:00Z',
      updated_at: '2024-02-01T00:00:00Z',
      vendorOnly: 1,
    };
    const mapped = mapRecord(plan, record, '');
    expect(columnValue(plan, mapped, 'created_at')).toBe('2024-01-01T00:00:00Z');
    expect(columnValue(plan, mapped, 'updated_at')).toBe('2024-02-01T00:00:00Z');
    expect(mapped.raw).toBe(JSON.stringify(record));
    expect(plan.columns.map((c) => c.name)).not.toContain('raw');
  });

  it('reads dotted sources from the schema file (lead name.full, company.domain)', () => {
    const plan = planTable(tables.leads, getStream('leads'));
    const mapped = mapRecord(plan, { id: 'L1', name: { full: 'Ada' }, company: { domain: 'x.io' } }, '');
    expect(columnValue(plan, mapped, 'full_name')).toBe('Ada');
    expect(columnValue(plan, mapped, 'company_domain')).toBe('x.io');
    expect(columnValue(plan, mapped, 'name')).toBe('{"full":"Ada"}');
  });

  it('fills the partition column from the partition, which wins over the record', () => {
    const plan = planTable(tables.list_leads, getStream('list_leads'));
    const mapped = mapRecord(plan, { id: 'L1', list_id: 'other' }, 'list-9');
    expect(columnValue(plan, mapped, 'list_id')).toBe('list-9');
    expect(mapped.pk).toBe(`list-9${PK_SEPARATOR}L1`);
  });

  it('rejects a child record without a partition, naming every problem at once', () => {
    const plan = planTable(tables.campaign_senders, getStream('campaign_senders'));
    const mapped = mapRecord(plan, { daily_limit: 'many' }, '');
    expect(mapped).toMatchObject({
      ok: false,
      pk: undefined,
      reason: 'missing primary key campaign_id, account_id',
    });
  });

  it('keeps the key of a record it rejects, so delete detection still counts it as seen', () => {
    const plan = planTable(tables.campaign_leads, getStream('campaign_leads'));
    expect(mapRecord(plan, { id: 'p1', created_at: 'soon' }, '')).toMatchObject({ ok: false, pk: 'p1' });
  });

  it('rejects a record whose key cannot be stored (it has no other home)', () => {
    const plan = planTable(tables.campaigns, getStream('campaigns'));
    expect(mapRecord(plan, { id: 'c\u0000' }, '')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^missing primary key id; id: contains a NUL/),
    });
  });
});

describe('mapRecord drops a bad value, never the row', () => {
  const threads = planTable(tables.threads, getStream('threads'));
  const campaigns = planTable(tables.campaigns, getStream('campaigns'));
  const value = (plan: typeof threads, mapped: ReturnType<typeof mapRecord>, column: string) =>
    columnValue(plan, mapped, column);
  const changesOf = (mapped: ReturnType<typeof mapRecord>) => {
    if (!mapped.ok) throw new Error(mapped.reason);
    return mapped.changes;
  };

  it.each([
    ['a zero date', 'created_at', '0000-00-00 00:00:00', /date or time out of range/, '0000-00-00 00:00:00'],
    [
      'an offset beyond ±15:59',
      'last_message_at',
      '2024-05-01T10:00:00+99:00',
      /UTC offset/,
      '2024-05-01T10:00:00+99:00',
    ],
    ['an integer beyond int4', 'unread_count', 99999999999, /out of range for an integer/, '99999999999'],
    ['a NUL byte', 'participant_name', 'Ada\u0000', /NUL character/, 'Ada\\u0000'],
    ['half an emoji', 'last_message_snippet', 'See you \ud83d', /lone UTF-16 surrogate/, 'See you \\ud83d'],
  ])(
    '%s: the column is NULL, the rest of the row kept, the drop recorded',
    (_, column, bad, reason, original) => {
      const mapped = mapRecord(threads, { id: 't1', status: 'active', [column]: bad }, '');
      expect(mapped.ok).toBe(true);
      expect(value(threads, mapped, column)).toBeNull();
      expect(value(threads, mapped, 'status')).toBe('active');
      expect(changesOf(mapped)).toContainEqual({
        field: column,
        reason: expect.stringMatching(reason),
        original,
      });
    },
  );

  it('a clean record has no changes, and raw is the record as sent', () => {
    const record = { id: 't1', last_message_snippet: 'ok 😀' };
    const mapped = mapRecord(threads, record, '');
    expect(changesOf(mapped)).toEqual([]);
    expect(mapped.raw).toBe(JSON.stringify(record));
  });

  it('repairs raw where jsonb cannot hold a string or key, and notes each repair', () => {
    const mapped = mapRecord(
      threads,
      { id: 't1', last_message_snippet: 'hi \ud83d', meta: { tags: ['a\u0000'], 'k\ude00': 1 } },
      '',
    );
    expect(JSON.parse(mapped.raw)).toEqual({
      id: 't1',
      last_message_snippet: 'hi \ufffd',
      meta: { tags: ['a\ufffd'], 'k\ufffd': 1 },
    });
    expect(changesOf(mapped).map((c) => c.field)).toEqual([
      'last_message_snippet',
      'raw.last_message_snippet',
      'raw.meta.tags[0]',
      'raw.meta.k\ufffd',
    ]);
    // What jsonb cannot hold is kept as its escape, so `_changes` itself can be stored.
    expect(jsonHasUnstorable(JSON.stringify(changesOf(mapped)))).toBe(false);
    expect(jsonHasUnstorable(JSON.stringify({ s: '\ud83d' }))).toBe(true);
    expect(changesOf(mapped)[1]).toMatchObject({ original: 'hi \\ud83d' });
  });

  it('an overflowing daily_limit costs only that field of the campaign', () => {
    const mapped = mapRecord(campaigns, { id: 'c1', name: 'Q3', daily_limit: 2 ** 40 }, '');
    expect(value(campaigns, mapped, 'name')).toBe('Q3');
    expect(value(campaigns, mapped, 'daily_limit')).toBeNull();
    expect(changesOf(mapped)).toEqual([
      { field: 'daily_limit', reason: 'out of range for an integer', original: String(2 ** 40) },
    ]);
  });

  it('never quotes the value in a reason, and cuts a long original', () => {
    const long = `${'x'.repeat(2000)}\u0000`;
    const [change] = changesOf(mapRecord(threads, { id: 't1', last_message_snippet: long }, ''));
    expect(change?.reason).not.toContain('xxx');
    expect(change?.original).toHaveLength(1000 + '…(truncated)'.length);
  });
});
