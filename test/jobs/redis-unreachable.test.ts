/** Regression: commands that need Redis said nothing and hung forever when it was unreachable. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { adminDatabaseUrl } from '../helpers/services.ts';

describe('an unreachable REDIS_URL', () => {
  it.each([['schedule'], ['status'], ['backfill', '--from', '2025-01-01'], ['worker'], ['sync', '--queue']])(
    '`%s` exits 2 at once with one line naming REDIS_URL',
    async (...args) => {
      const res = await runCli(args, {
        REDIS_URL: 'redis://127.0.0.1:1',
        PUFFLE_API_KEY: 'pk_live_redisDownTest1234',
        DATABASE_URL: adminDatabaseUrl(),
      });
      expect(res.code).toBe(2);
      expect(res.stderr.trim()).toBe('puffle-sync: REDIS_URL: cannot connect to Redis at 127.0.0.1:1');
    },
    20_000,
  );
});
