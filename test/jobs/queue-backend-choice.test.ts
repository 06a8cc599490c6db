/** Which queue backend a configuration means: `redis` with REDIS_URL, `postgres` only when chosen. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { queueSchemas } from '../../src/jobs/queue/queue-schemas.ts';

const PG = 'postgres://u@127.0.0.1:5432/w';
const REDIS = 'redis://127.0.0.1:6379';

describe('PUFFLE_QUEUE_BACKEND', () => {
  it.each([
    [{}, undefined],
    [{ DATABASE_URL: PG }, undefined],
    [{ REDIS_URL: REDIS }, 'redis'],
    [{ REDIS_URL: REDIS, DATABASE_URL: PG }, 'redis'],
    [{ PUFFLE_QUEUE_BACKEND: 'postgres', DATABASE_URL: PG }, 'postgres'],
    // An explicit choice wins over a REDIS_URL left in the environment.
    [{ PUFFLE_QUEUE_BACKEND: 'postgres', DATABASE_URL: PG, REDIS_URL: REDIS }, 'postgres'],
    [{ PUFFLE_QUEUE_BACKEND: 'Redis', REDIS_URL: REDIS }, 'redis'],
  ])('%j → %s', (env, backend) => {
    expect(loadConfig(env).queueBackend).toBe(backend);
  });

  it('the --queue-backend flag wins over the variable', () => {
    const config = loadConfig(
      { PUFFLE_QUEUE_BACKEND: 'redis', REDIS_URL: REDIS, DATABASE_URL: PG },
      { command: 'worker', flags: { queueBackend: 'postgres' } },
    );
    expect(config.queueBackend).toBe('postgres');
  });

  it('commands without a queue ignore it, contradictions included', () => {
    expect(loadConfig({ PUFFLE_QUEUE_BACKEND: 'postgres' }, { command: 'sql' }).queueBackend).toBe(undefined);
    expect(() => loadConfig({ PUFFLE_QUEUE_BACKEND: 'postgres' }, { command: 'worker' })).toThrow(
      /PUFFLE_QUEUE_BACKEND=postgres needs DATABASE_URL/,
    );
  });

  it('the prefix names two schemas of plain identifiers', () => {
    expect(queueSchemas('puffle-sync')).toEqual({
      bullmq: 'puffle_sync_bullmq',
      coordination: 'puffle_sync_coordination',
    });
    const odd = queueSchemas('9Team.Prod:eu-1');
    expect(odd.bullmq).toBe('_9team_prod_eu_1_bullmq');
    expect(queueSchemas('x'.repeat(64)).coordination.length).toBeLessThanOrEqual(63);
  });
});
