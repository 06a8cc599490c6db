import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { errorSummary, UNCODED } from '../../src/error-summary.ts';
import { AuthRejectedError } from '../../src/extract/index.ts';

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
    expect(s).toEqual({
      code: 'error',
      name: 'error',
      message: 'terminating connection due to administrator command',
    });
    expect(JSON.stringify(s)).not.toContain('ada@example.com');
  });

  it("keeps the driver's code (a SQLSTATE) through drizzle's wrapper", () => {
    const driver = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(errorSummary(new DrizzleQueryError('insert …', [], driver)).code).toBe('23505');
  });

  it('keeps our own errors as they are, on one line, with their code', () => {
    expect(errorSummary(new AuthRejectedError('key rejected\nsecond line'))).toEqual({
      code: 'auth_rejected',
      name: 'AuthRejectedError',
      message: 'key rejected',
    });
    expect(errorSummary(new Error('bare'))).toEqual({ code: UNCODED, name: 'Error', message: 'bare' });
    expect(errorSummary('plain')).toEqual({ code: UNCODED, name: 'Error', message: 'plain' });
  });
});
