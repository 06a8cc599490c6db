/**
 * Every Redis key puffle-sync writes lives under PUFFLE_QUEUE_PREFIX — the queue, the schedule,
 * the request budget (pacing and the 429 block) and the run flags — so Redis ACLs scoped to
 * `~<prefix>:*` work. Shown twice: the schedule, a queued run with a 429 and an inline sync that
 * shares its budget through Redis all run as a Redis user with exactly the ACL that
 * docs/running-in-production.md recommends (any key outside the prefix would be NOPERM), and
 * listing every key of a Redis database of our own afterwards finds only prefixed ones.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import {
  enqueueRun,
  followRun,
  openSyncQueue,
  type SyncQueue,
  type SyncWorker,
  startSyncWorker,
} from '../../src/jobs/queue/index.ts';
import { type Database, migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, testRedisUrl } from '../helpers/services.ts';

const KEY = 'pk_live_prefixCanary_0123456789';
const PREFIX = 'acme-prod';
/** The ACL of docs/running-in-production.md ("Redis ACLs"), for PREFIX. */
const ACL = [`~${PREFIX}:*`, 'resetchannels', '+@all', '-@dangerous', '+info'];

/** A Redis logical database nobody else is using, so every key in it is ours to judge. */
async function emptyRedisDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const base = new URL(testRedisUrl());
  for (const index of [13, 12, 11, 10, 9, 8, 7, 14, 6, 5]) {
    const url = new URL(base);
    url.pathname = `/${index}`;
    const redis = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    // Claimed with a key of its own, left out of the judgement below.
    const claimed =
      (await redis.dbsize()) === 0 && (await redis.set('test-claim', '1', 'EX', 600, 'NX')) === 'OK';
    if (claimed)
      return {
        url: url.toString(),
        close: async () => {
          await redis.flushdb();
          await redis.quit();
        },
      };
    await redis.quit();
  }
  throw new Error('no empty Redis logical database (0..15) to run this test in');
}

describe('Redis keys', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let redisDb: Awaited<ReturnType<typeof emptyRedisDatabase>>;
  let db: Database;
  let sq: SyncQueue;
  let worker: SyncWorker | undefined;

  const user = `puffle-acl-test-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let admin: Redis;
  let redisUrl: string;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 60, seed: 4, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('prefix');
    redisDb = await emptyRedisDatabase();
    admin = new Redis(redisDb.url);
    await admin.acl('SETUSER', user, 'on', `>${password}`, ...ACL);
    const url = new URL(redisDb.url);
    url.username = user;
    url.password = password;
    redisUrl = url.toString();
    db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
  });
  afterAll(async () => {
    await worker?.close({ timeoutMs: 5000 });
    await sq?.close();
    await db?.close();
    await admin?.acl('DELUSER', user).catch(() => {});
    await admin?.quit();
    await redisDb?.close();
    await sim?.close();
    await pg?.drop();
  });

  const env = () => ({
    PUFFLE_API_KEY: KEY,
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: pg.url,
    REDIS_URL: redisUrl,
    PUFFLE_QUEUE_PREFIX: PREFIX,
    PUFFLE_RATE_LIMIT_PER_MIN: '6000',
    PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
  });

  it('the ACL really confines the user to the prefix', async () => {
    const confined = new Redis(redisUrl);
    try {
      await expect(confined.set('elsewhere', '1')).rejects.toThrow(/NOPERM/);
      await expect(confined.set(`${PREFIX}:probe`, '1')).resolves.toBe('OK');
      await confined.del(`${PREFIX}:probe`);
    } finally {
      await confined.quit();
    }
  });

  it('all live under PUFFLE_QUEUE_PREFIX, the request budget included', { timeout: 120_000 }, async () => {
    const scheduled = await runCli(['schedule'], env());
    expect(scheduled.code, scheduled.stderr).toBe(0);

    // A 429 makes the budget write its shared "blocked until" key too.
    sim.setFaults([{ kind: '429', path: '/api/campaigns', nth: [1] }]);
    const config = loadConfig(env(), { requireKey: true });
    worker = await startSyncWorker({ config, logger: pino({ level: 'silent' }), concurrency: 2 });
    sq = openSyncQueue(config);
    const runId = await enqueueRun(sq.queue, { streams: ['account', 'campaigns', 'campaign_leads'] });
    const summary = await followRun(db, runId, { pollMs: 100 });
    expect(summary.status, JSON.stringify(summary.error)).toBe('succeeded');
    expect(sim.requests.some((r) => r.status === 429)).toBe(true);

    // Inline mode with REDIS_URL shares the same budget through Redis.
    sim.setFaults([]);
    const inline = await runCli(['sync', '--streams', 'lists,signal_types', '--json'], env());
    expect(inline.code, inline.stderr).toBe(0);

    const redis = new Redis(redisDb.url);
    try {
      const keys = (await redis.keys('*')).filter((k) => k !== 'test-claim');
      expect(keys.length).toBeGreaterThan(5);
      expect(keys.filter((k) => !k.startsWith(`${PREFIX}:`))).toEqual([]);
      expect(keys.filter((k) => k.startsWith(`${PREFIX}:budget:`)).sort()).toEqual([
        expect.stringMatching(/^acme-prod:budget:\{[0-9a-f]{16}\}:blocked$/),
        expect.stringMatching(/^acme-prod:budget:\{[0-9a-f]{16}\}:tat$/),
      ]);
      expect(keys.some((k) => k.startsWith(`${PREFIX}:sync:`))).toBe(true);
      for (const k of keys) expect(k).not.toContain(KEY.slice('pk_live_'.length));
    } finally {
      await redis.quit();
    }
  });
});
