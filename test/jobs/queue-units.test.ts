/** Pure pieces of the run plan and the queue mode: windows, job ids, stream ordering, failure parsing, statuses. */
import { describe, expect, it } from 'vitest';
import { runStatusOf, streamStatusOf } from '../../src/jobs/outcome.ts';
import { streamsStartingAfter, waitsFor } from '../../src/jobs/plan/run-plan.ts';
import { runOutcome, streamOutcome } from '../../src/jobs/plan/stream-policy.ts';
import { unitStateKey } from '../../src/jobs/plan/units.ts';
import { monthlyWindows, parseDateFlag } from '../../src/jobs/queue/backfill-windows.ts';
import { parseFailure } from '../../src/jobs/queue/error-mapping.ts';
import { partitionJobId, runJobId, streamJobId, windowJobId } from '../../src/jobs/queue/job-ids.ts';

describe('monthlyWindows', () => {
  it('cuts [from, to) into calendar months, aligned so re-runs produce the same windows', () => {
    const w = monthlyWindows(new Date('2025-01-15T10:00:00Z'), new Date('2025-03-02T00:00:00Z'));
    expect(w).toEqual([
      { since: '2025-01-01T00:00:00.000Z', until: '2025-02-01T00:00:00.000Z' },
      { since: '2025-02-01T00:00:00.000Z', until: '2025-03-01T00:00:00.000Z' },
      { since: '2025-03-01T00:00:00.000Z', until: '2025-04-01T00:00:00.000Z' },
    ]);
    expect(monthlyWindows(new Date('2025-01-20Z'), new Date('2025-03-02Z'))).toEqual(w);
    expect(unitStateKey({ partition: '', window: w[0]! })).toBe(
      '@2025-01-01T00:00:00.000Z..2025-02-01T00:00:00.000Z',
    );
  });

  it('rejects reversed or invalid dates with the flag named', () => {
    expect(() => monthlyWindows(new Date('2025-02-01Z'), new Date('2025-01-01Z'))).toThrow('--from');
    expect(() => parseDateFlag('--from', 'yesterday')).toThrow('--from must be a date');
    expect(parseDateFlag('--to', '2025-06-01').toISOString()).toBe('2025-06-01T00:00:00.000Z');
  });
});

describe('job ids', () => {
  it('are deterministic, name the partition and not the run, and never contain ":"', () => {
    expect(partitionJobId('signals', '')).toBe('part/signals');
    expect(partitionJobId('campaign_leads', 'a:b/c')).toBe('part/campaign_leads/a%3Ab%2Fc');
    expect(streamJobId('r1', 'leads')).toBe('stream/r1/leads');
    expect(runJobId('r1')).toBe('run/r1');
    const id = windowJobId('signals', '', {
      since: '2025-01-01T00:00:00.000Z',
      until: '2025-02-01T00:00:00.000Z',
    });
    expect(id).toBe('window/signals/20250101T000000Z-20250201T000000Z');
    for (const x of [id, partitionJobId('campaign_leads', 'x:y')]) expect(x).not.toContain(':');
  });
});

describe('streamsStartingAfter', () => {
  it('starts roots first and each child after its parent, if the parent is in the run', () => {
    const run = ['campaigns', 'campaign_leads', 'campaign_senders', 'threads', 'list_leads'] as const;
    expect(streamsStartingAfter(run, undefined)).toEqual(['campaigns', 'threads', 'list_leads']);
    expect(streamsStartingAfter(run, 'campaigns')).toEqual(['campaign_leads', 'campaign_senders']);
    expect(streamsStartingAfter(run, 'threads')).toEqual([]);
    expect(waitsFor('campaign_leads', run)).toBe('campaigns');
    expect(waitsFor('campaign_leads', ['campaign_leads'])).toBeUndefined();
  });
});

describe('the outcome rules both drivers share', () => {
  const auth = { name: 'AuthRejectedError', message: 'GET /api/x: 401' };
  const retry = { name: 'RetryableError', message: 'GET /api/x: 503' };
  it("puts a stopped run's reason first in a stream whose units failed, and only then", () => {
    expect(streamOutcome(3, [retry], auth)).toEqual({ status: 'failed', error: auth });
    expect(streamOutcome(3, [retry])).toEqual({ status: 'partial', error: retry });
    expect(streamOutcome(3, [], auth)).toEqual({ status: 'succeeded', error: undefined });
  });
  it('fails a stopped run with its reason, else names the first stream that did not succeed', () => {
    const streams = [{ status: 'succeeded' }, { status: 'partial', error: retry }];
    expect(runOutcome(streams, auth)).toEqual({ status: 'failed', error: auth });
    expect(runOutcome(streams)).toEqual({ status: 'partial', error: retry });
    expect(runOutcome([{ status: 'succeeded' }])).toEqual({ status: 'succeeded', error: undefined });
  });
});

describe('parseFailure', () => {
  it('recovers the error class BullMQ dropped', () => {
    expect(parseFailure('RetryableError: GET /api/leads: server error (503)')).toEqual({
      name: 'RetryableError',
      message: 'GET /api/leads: server error (503)',
    });
    expect(parseFailure('job stalled more than allowable limit')).toEqual({
      name: 'Error',
      message: 'job stalled more than allowable limit',
    });
  });
});

describe('statuses', () => {
  it('matches the inline runner: auth fails, rate limit is partial, some failures are partial', () => {
    expect(streamStatusOf(3, [])).toBe('succeeded');
    expect(streamStatusOf(3, [{ name: 'AuthRejectedError' }])).toBe('failed');
    expect(streamStatusOf(1, [{ name: 'RateLimitedError' }])).toBe('partial');
    expect(streamStatusOf(3, [{ name: 'RetryableError' }])).toBe('partial');
    expect(streamStatusOf(1, [{ name: 'RetryableError' }])).toBe('failed');
    expect(runStatusOf([{ status: 'succeeded' }, { status: 'partial' }], false)).toBe('partial');
    expect(runStatusOf([{ status: 'succeeded' }], true)).toBe('failed');
    expect(runStatusOf([{ status: 'failed' }], false)).toBe('failed');
  });
});
