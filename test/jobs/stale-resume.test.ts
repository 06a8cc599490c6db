/** The stale-resume rule (pure): only the first request of a walk resumed from a stored point, 400/404 only. */
import { describe, expect, it } from 'vitest';
import { PaginationError, RequestRejectedError, RetryableError } from '../../src/extract/index.ts';
import { isStaleResumePoint, staleResumeWarning } from '../../src/jobs/stale-resume.ts';

const resumed = { resume: { kind: 'cursor' as const, cursor: 'abc' } };
const fresh = { resume: null };
const rejected = (status: number, code?: string) =>
  new RequestRejectedError('rejected', { status, apiCode: code });

describe('isStaleResumePoint', () => {
  it('a 400 or 404 on the first request of a resumed walk is a stale resume point', () => {
    expect(isStaleResumePoint(resumed, 0, rejected(400))).toBe(true);
    expect(isStaleResumePoint(resumed, 0, rejected(404))).toBe(true);
    expect(isStaleResumePoint({ resume: { kind: 'page', page: 7 } }, 0, rejected(400))).toBe(true);
  });

  it('not on a walk from the beginning (a 400 there is real; a 404 means the parent vanished)', () => {
    expect(isStaleResumePoint(fresh, 0, rejected(400))).toBe(false);
    expect(isStaleResumePoint(fresh, 0, rejected(404))).toBe(false);
  });

  it('not once a page of the resumed walk was committed, nor for other errors', () => {
    expect(isStaleResumePoint(resumed, 1, rejected(400))).toBe(false);
    expect(isStaleResumePoint(resumed, 0, rejected(403))).toBe(false);
    expect(isStaleResumePoint(resumed, 0, rejected(422))).toBe(false);
    expect(isStaleResumePoint(resumed, 0, new RetryableError('503', { status: 503 }))).toBe(false);
    expect(isStaleResumePoint(resumed, 0, new PaginationError('leads', 'no_progress', 'x'))).toBe(false);
  });

  it('the warning names the stream and the partition', () => {
    expect(staleResumeWarning('list_leads', 'L1', rejected(400))).toBe(
      'list_leads (partition L1): Puffle rejected the stored resume point (400); restarting this walk from the beginning',
    );
    expect(staleResumeWarning('leads', '', rejected(404))).toMatch(/^leads: .*\(404\)/);
  });
});
