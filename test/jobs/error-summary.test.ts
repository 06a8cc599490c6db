import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { errorSummary } from '../../src/error-summary.ts';

describe('errorSummary', () => {
  it('shows the driver message of a failed query, never the SQL or its bound record values', () => {
    const driver = Object.assign(new Error('terminating connection due to administrator command'), {
      name: 'error',
    });
    const wrapped = new DrizzleQueryError(
      'insert into puffle.leads …',
      ['ada@example.com', '{"raw":1}'],
      driver,
    );
    const s = errorSummary(wrapped);
    expect(s).toEqual({ name: 'error', message: 'terminating connection due to administrator command' });
    expect(JSON.stringify(s)).not.toContain('ada@example.com');
  });

  it('keeps our own errors as they are, on one line', () => {
    class AuthRejectedError extends Error {
      override name = 'AuthRejectedError';
    }
    expect(errorSummary(new AuthRejectedError('key rejected\nsecond line'))).toEqual({
      name: 'AuthRejectedError',
      message: 'key rejected',
    });
    expect(errorSummary('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});
