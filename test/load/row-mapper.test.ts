import { describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import { mapRecord, PK_SEPARATOR, planTable } from '../../src/load/row-mapper.ts';
import { buildTables } from '../../src/load/schema.ts';

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
      reason: 'missing primary key campaign_id, account_id; daily_limit: expected an integer, got "many"',
    });
  });

  it('keeps the key of a record it rejects, so delete detection still counts it as seen', () => {
    const plan = planTable(tables.campaigns, getStream('campaigns'));
    expect(mapRecord(plan, { id: 'c1', created_at: 'soon' }, '')).toMatchObject({ ok: false, pk: 'c1' });
  });
});
