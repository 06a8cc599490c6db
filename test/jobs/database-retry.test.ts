/** retryOnConnectionLoss: which failures it retries, how often, and what it says. */
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { retryOnConnectionLoss } from '../../src/jobs/database-retry.ts';
import { createLogger } from '../../src/log.ts';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const fast = { minTimeoutMs: 1 };

describe('retryOnConnectionLoss', () => {
  it('retries a terminated connection (wrapped as a cause) until the step succeeds', async () => {
    let calls = 0;
    const result = await retryOnConnectionLoss(
      'commit',
      async () => {
        calls += 1;
        if (calls < 3)
          throw new Error('could not commit a page', { cause: pgError('57P01', 'terminating connection') });
        return 'done';
      },
      fast,
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('throws any other database error at once', async () => {
    let calls = 0;
    const err = await retryOnConnectionLoss(
      'commit',
      async () => {
        calls += 1;
        throw pgError('23505', 'duplicate key value violates unique constraint');
      },
      fast,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/duplicate key/);
    expect(calls).toBe(1);
  });

  it('gives up after `retries` and throws the last error', async () => {
    let calls = 0;
    const err = await retryOnConnectionLoss(
      'commit',
      async () => {
        calls += 1;
        throw pgError('ECONNREFUSED', `connect ECONNREFUSED 127.0.0.1:5432 (${calls})`);
      },
      { ...fast, retries: 2 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect((err as Error).message).toMatch(/\(3\)$/);
  });

  it('stops waiting when the run is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retryOnConnectionLoss(
      'commit',
      async () => {
        calls += 1;
        if (calls === 1) setTimeout(() => controller.abort(new Error('shutdown')), 20);
        throw pgError('57P01', 'terminating connection');
      },
      { signal: controller.signal, minTimeoutMs: 5000 },
    );
    await expect(pending).rejects.toThrow(/shutdown/);
    // The immediate retry ran; the 5 s wait after it did not run out.
    expect(calls).toBe(2);
  });

  it('logs each retry with the step name', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    let calls = 0;
    await retryOnConnectionLoss(
      'finish run',
      async () => {
        calls += 1;
        if (calls === 1) throw pgError('08006', 'connection failure');
      },
      { ...fast, logger },
    );
    expect(lines.join('')).toMatch(/"step":"finish run".*database connection lost; retrying/);
  });

  it("logs the driver's message, never drizzle's SQL parameters (record values)", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    let calls = 0;
    await retryOnConnectionLoss(
      'begin walk',
      async () => {
        calls += 1;
        if (calls === 1)
          throw new DrizzleQueryError(
            'select 1 where email = $1',
            ['jane@example.com'],
            pgError('57P01', 'terminating connection due to administrator command'),
          );
      },
      { ...fast, logger },
    );
    expect(lines.join('')).toContain('terminating connection due to administrator command');
    expect(lines.join('')).not.toContain('jane@example.com');
  });
});
