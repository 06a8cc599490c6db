/**
 * The key never leaves the request header: after a full sync (CLI, debug logs), a run with a
 * rejected key, a run through every HTTP fault class, a queued run on a worker process and a
 * dashboard scrape, no log line, no database row, no Redis key or value and no metrics/board
 * output contains either key. The scan itself is shown to find a planted key in each place.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard } from '../../src/dashboard/index.ts';
import { createLogger } from '../../src/log.ts';
import { ChaosQueue } from '../chaos/queue.ts';
import { ChaosWorld, chaosKey } from '../chaos/world.ts';
import { testRedisUrl } from '../helpers/services.ts';
import { scanDatabase, scanForSecrets, scanOutput, scanRedis } from './secret-scan.ts';

describe('secret scan after a full sync, faults, a rejected key, a queued run and a dashboard scrape', () => {
  const disposers: Array<() => Promise<void>> = [];
  let w: ChaosWorld;
  let q: ChaosQueue;
  const rejectedKey = chaosKey('leak', 2, 9);

  beforeAll(async () => {
    w = await ChaosWorld.open({ track: (d) => disposers.push(d) }, { label: 'leak', seed: 2, scale: 80 });
    q = await ChaosQueue.open(w, 'leak');
  });
  afterAll(async () => {
    for (const d of disposers.reverse()) await d();
  });

  it('finds the key nowhere', { timeout: 120_000 }, async () => {
    const full = await w.cli(['sync', '--json']);
    expect(full.code, full.stderr.slice(-300)).toBe(0);

    w.useKey(rejectedKey);
    const rejected = await w.cli(['sync', '--json'], { PUFFLE_API_KEY: rejectedKey });
    expect(rejected.code, rejected.stderr.slice(-300)).toBe(3);

    // One of each failure path whose error text could carry request details.
    w.sim.setFaults([
      { kind: '500', nth: [2] },
      { kind: 'reset', nth: [4] },
      { kind: 'malformed', nth: [6] },
      { kind: '429', nth: [8] },
      { kind: 'stall', nth: [10], stallMs: 800 },
      { kind: 'truncated', nth: [12] },
    ]);
    const faulted = await w.syncInProcess({ env: { PUFFLE_REQUEST_TIMEOUT_MS: '500' } });
    expect(['succeeded', 'partial'], JSON.stringify(faulted.error)).toContain(faulted.status);
    expect(w.httpFaults).toBe(6);
    w.sim.setFaults([]);

    const worker = q.startWorker();
    const queued = await q.follow(await q.enqueue(), 60_000);
    expect(queued?.status, JSON.stringify(queued?.error)).toBe('succeeded');

    const dashboard = await startDashboard({
      databaseUrl: w.databaseUrl,
      redisUrl: testRedisUrl(),
      queuePrefix: q.prefix,
      port: 0,
      logger: w.captureLogger(),
    });
    try {
      for (const path of [
        '/metrics',
        '/healthz',
        '/queues/api/queues?activeQueue=sync&status=completed&page=1',
      ]) {
        const res = await fetch(`${dashboard.url}${path}`);
        w.output.push(`${path} ${res.status}\n${await res.text()}`);
      }
    } finally {
      await dashboard.close();
    }
    expect(w.output.some((o) => o.includes('puffle_sync_requests_total'))).toBe(true);
    worker.child.kill('SIGTERM');
    await worker.done;

    const found = await scanForSecrets({ keys: w.keys, output: w.output, databaseUrl: w.databaseUrl });
    expect(found).toEqual([]);
    expect(w.sim.sideEffectCalls).toBe(0);
  });

  it('would notice a key in output, in any table and in Redis', async () => {
    const key = chaosKey('planted', 1);
    expect(scanOutput(['ok', `header Bearer ${key}`], [key]).length).toBeGreaterThan(0);
    expect(scanOutput([Buffer.from(key).toString('base64')], [key]).length).toBeGreaterThan(0);
    expect(scanOutput(['Bearer pk_live_<redacted>'], [key])).toEqual([]);
    const client = new pg.Client({ connectionString: w.databaseUrl });
    await client.connect();
    const redis = new Redis(testRedisUrl());
    try {
      await client.query(`create table public.planted (note jsonb)`);
      await client.query(`insert into public.planted values ($1)`, [JSON.stringify({ deep: [key] })]);
      expect(await scanDatabase(w.databaseUrl, [key])).toEqual([expect.stringContaining('public.planted')]);
      await client.query('drop table public.planted');
      await redis.hset(`${q.prefix}:planted`, 'f', `x${key}x`);
      expect((await scanRedis([key])).length).toBeGreaterThan(0);
    } finally {
      await redis.del(`${q.prefix}:planted`);
      redis.disconnect();
      await client.end();
    }
  });

  it('redacts the key from pino fields, messages and errors', () => {
    const lines: string[] = [];
    const key = chaosKey('pino', 1);
    const logger = createLogger({ level: 'debug', destination: { write: (s: string) => lines.push(s) } });
    logger.info({ apiKey: key, headers: { authorization: `Bearer ${key}` } }, `calling with ${key}`);
    logger.warn({ err: new Error(`401 for ${key}`) }, 'failed');
    logger.debug(`plain ${key}`);
    expect(lines).toHaveLength(3);
    expect(scanOutput(lines, [key])).toEqual([]);
  });
});
