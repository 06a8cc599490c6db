/** The personal-data policy as a pure unit: what it accepts, and what it does to a record. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../src/extract/streams.ts';
import { buildPrivacyPolicy, type PrivacySettings } from '../../src/load/privacy.ts';
import { buildTables } from '../../src/load/schema.ts';

const KEY = 'k'.repeat(40);
const catalog = { streams: STREAMS, tables: buildTables('puffle') };
const build = (s: Partial<PrivacySettings>) =>
  buildPrivacyPolicy({ exclude: [], hash: [], hashKey: KEY, ...s }, catalog);
const hmac = (value: string, key = KEY) => createHmac('sha256', key).update(value).digest('hex');

describe('personal-data policy', () => {
  it('is nothing to do when nothing is configured', () => {
    expect(build({})).toBeUndefined();
  });

  it.each([
    [{ exclude: ['nope.email'] }, /not stream\.field with a known stream/],
    [{ exclude: ['campaign_leads'] }, /not stream\.field/],
    [{ exclude: ['campaign_leads.emial'] }, /campaign_leads has no column emial/],
    [{ exclude: ['campaign_leads.id'] }, /key, parent or cursor column/],
    [{ exclude: ['campaign_leads.campaign_id'] }, /key, parent or cursor column/],
    [{ hash: ['threads.last_message_at'] }, /key, parent or cursor column/],
    [{ exclude: ['signals.created_at'] }, /key, parent or cursor column/],
    [{ exclude: ['lead_search_tasks.status'] }, /key, parent or cursor column/],
    [{ hash: ['campaign_leads.bounced_at'] }, /timestamp with time zone, which cannot hold a hash/],
    [{ exclude: ['campaign_leads.email'], hash: ['campaign_leads.email'] }, /in both/],
    [{ hash: ['campaign_leads.email'], hashKey: undefined }, /PUFFLE_HASH_COLUMNS needs PUFFLE_HASH_KEY/],
    [{ hash: ['campaign_leads.email'], hashKey: 'short' }, /at least 32 characters/],
  ] as const)('refuses %j', (settings, message) => {
    expect(() => build(settings as Partial<PrivacySettings>)).toThrow(message);
  });

  it('never echoes the hash key in an error', () => {
    const secret = 'tooshort-secret';
    try {
      build({ hash: ['campaign_leads.email'], hashKey: secret });
      expect.unreachable();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(secret);
    }
  });

  it('removes excluded fields under both spellings and at the nested path a column reads', () => {
    const policy = build({ exclude: ['campaign_leads.linkedin_url', 'leads.full_name', 'leads.contacts'] })!;
    expect(policy.streams).toEqual(new Set(['campaign_leads', 'leads']));
    expect(
      policy.apply('campaign_leads', {
        id: 'p1',
        linkedin_url: 'https://x/1',
        linkedinUrl: 'https://x/1',
        status: 'sent',
      }),
    ).toEqual({ id: 'p1', status: 'sent' });
    const lead = {
      id: 'l1',
      name: { full: 'Ada Lovelace', first: 'Ada' },
      contacts: [{ value: 'ada@x.test' }],
    };
    expect(policy.apply('leads', lead)).toEqual({ id: 'l1', name: { first: 'Ada' } });
    expect(lead.name.full).toBe('Ada Lovelace'); // the input is not mutated
    const untouched = { id: 't1', participant_email: 'a@b.test' };
    expect(policy.apply('threads', untouched)).toBe(untouched);
  });

  it('hashes with HMAC-SHA-256 under the key: deterministic, keyed, idempotent, objects as JSON', () => {
    const policy = build({
      hash: ['campaign_leads.email', 'threads.participant_email', 'campaign_leads.custom_fields'],
    })!;
    const a = policy.apply('campaign_leads', { id: 'p1', email: 'ada@x.test', custom_fields: { vip: true } });
    expect(a.email).toBe(hmac('ada@x.test'));
    expect(a.custom_fields).toBe(hmac('{"vip":true}'));
    // Equal values join across streams.
    expect(policy.apply('threads', { id: 't1', participant_email: 'ada@x.test' }).participant_email).toBe(
      a.email,
    );
    // Applying it again changes nothing (stored rows can be re-processed).
    expect(policy.apply('campaign_leads', a)).toBe(a);
    // Another key, another hash; nulls stay null.
    const other = buildPrivacyPolicy(
      { exclude: [], hash: ['campaign_leads.email'], hashKey: 'z'.repeat(40) },
      catalog,
    )!;
    expect(other.apply('campaign_leads', { email: 'ada@x.test' }).email).not.toBe(a.email);
    expect(policy.apply('campaign_leads', { id: 'p2', email: null }).email).toBeNull();
  });

  it('accepts any top-level field of a stream whose record shape is undocumented', () => {
    const policy = build({ exclude: ['lead_search_results.email', 'signal_leads.full_name'] })!;
    expect(policy.apply('lead_search_results', { id: 'r1', email: 'x@y.test', title: 'CTO' })).toEqual({
      id: 'r1',
      title: 'CTO',
    });
    expect(policy.apply('signal_leads', { id: 's1', fullName: 'Ada' })).toEqual({ id: 's1' });
  });
});
