/** Pure pieces of the run plan and the queue mode: windows, job ids, stream ordering, failure reasons and codes, statuses. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { errorSummary, UNCODED } from '../../src/error-summary.ts';
import {
  AuthRejectedError,
  PaginationError,
  RateLimitedError,
  RequestRejectedError,
  ResponseTooLargeError,
  RetryableError,
  UnsafeEndpointError,
  UnsafePartitionIdError,
} from '../../src/extract/index.ts';
import { PartitionBusyError } from '../../src/jobs/errors/partition-busy-error.ts';
import { SyncAlreadyRunningError } from '../../src/jobs/errors/sync-already-running-error.ts';
import { SyncInterruptedError } from '../../src/jobs/errors/sync-interrupted-error.ts';
import { runStatusOf, streamStatusOf } from '../../src/jobs/outcome.ts';
import { streamsStartingAfter, waitsFor } from '../../src/jobs/plan/run-plan.ts';
import { runOutcome, streamOutcome } from '../../src/jobs/plan/stream-policy.ts';
import { unitStateKey } from '../../src/jobs/plan/units.ts';
import { monthlyWindows, parseDateFlag } from '../../src/jobs/queue/backfill-windows.ts';
import { failureReason, parseFailure } from '../../src/jobs/queue/error-mapping.ts';
import { PartitionFailedError, RunAbortedError } from '../../src/jobs/queue/errors/index.ts';
import { partitionJobId, runJobId, streamJobId, windowJobId } from '../../src/jobs/queue/job-ids.ts';
import {
  DatabaseLockedError,
  DatabaseUnreachableError,
  PageCommitError,
  SyncStateInvalidError,
} from '../../src/load/index.ts';

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
  const auth = { code: 'auth_rejected', name: 'AuthRejectedError', message: 'GET /api/x: 401' };
  const retry = { code: 'retryable', name: 'RetryableError', message: 'GET /api/x: 503' };
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

describe('failure reasons (the code across BullMQ)', () => {
  const ours = [
    new AuthRejectedError('GET /api/leads: Puffle rejected the API key (401)'),
    new RateLimitedError('wait too long', { retryAt: 0 }),
    new RequestRejectedError('GET /api/x: request rejected (422: bad: input)', { status: 422 }),
    new RetryableError('GET /api/leads: server error (503)'),
    new PaginationError('leads', 'no_progress', 'pages repeat'),
    new ResponseTooLargeError('GET /api/leads', 10),
    new UnsafeEndpointError('POST /api/x'),
    new UnsafePartitionIdError('list_leads', '..', 'is a dot segment'),
    new RunAbortedError('run r1 stopped: [auth_rejected] AuthRejectedError: key'),
    new PageCommitError('leads', '', new Error('boom')),
    new SyncStateInvalidError('bad row'),
    new PartitionBusyError('leads', ''),
    new SyncInterruptedError(),
    new SyncAlreadyRunningError('puffle'),
    new DatabaseLockedError('locked', 1),
    new DatabaseUnreachableError('unreachable'),
    new ConfigError('bad'),
  ];

  it('every error class has its own stable code, the same on the class and its instances', () => {
    for (const err of ours) {
      expect(err.code, err.name).toBe((err.constructor as unknown as { code: string }).code);
      expect(err.code, err.name).toMatch(/^[a-z][a-z_]*$/);
    }
    expect(new Set(ours.map((e) => e.code)).size).toBe(ours.length);
  });

  it('a failure reason carries the code, the class and the message, and is read back as they were', () => {
    for (const err of ours) {
      const summary = errorSummary(err);
      const reason = failureReason(summary);
      expect(reason.startsWith(`[${err.code}] ${err.name}: `), reason).toBe(true);
      expect(parseFailure(reason)).toEqual(summary);
      // A retried failure wraps its cause: the cause's code is what crosses.
      expect(parseFailure(new PartitionFailedError(reason, err).message).code).toBe(err.code);
    }
    expect(parseFailure(failureReason(errorSummary(new TypeError('x is undefined'))))).toEqual({
      code: UNCODED,
      name: 'TypeError',
      message: 'x is undefined',
    });
  });

  it('a reason BullMQ wrote itself has no code', () => {
    expect(parseFailure('job stalled more than allowable limit')).toEqual({
      code: UNCODED,
      name: 'Error',
      message: 'job stalled more than allowable limit',
    });
    expect(parseFailure('RetryableError: GET /api/leads: server error (503)').code).toBe(UNCODED);
  });
});

describe('statuses', () => {
  it('matches the inline runner: auth fails, rate limit is partial, some failures are partial', () => {
    expect(streamStatusOf(3, [])).toBe('succeeded');
    expect(streamStatusOf(3, [new AuthRejectedError('x')])).toBe('failed');
    expect(streamStatusOf(3, [parseFailure('[auth_rejected] AuthRejectedError: x')])).toBe('failed');
    expect(streamStatusOf(1, [parseFailure('[rate_limited] RateLimitedError: x')])).toBe('partial');
    expect(streamStatusOf(3, [{ code: 'retryable' }])).toBe('partial');
    expect(streamStatusOf(1, [{ code: 'retryable' }])).toBe('failed');
    // A class name is not a code: only the code decides.
    expect(streamStatusOf(3, [{ name: 'AuthRejectedError' }])).toBe('partial');
    expect(runStatusOf([{ status: 'succeeded' }, { status: 'partial' }], false)).toBe('partial');
    expect(runStatusOf([{ status: 'succeeded' }], true)).toBe('failed');
    expect(runStatusOf([{ status: 'failed' }], false)).toBe('failed');
  });
});
