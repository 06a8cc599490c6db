/**
 * Two worker processes sharing one budget (in Redis, or in Postgres) stay within it: against a simulator whose
 * sliding-window limit equals the configured budget, no request is ever answered 429. The
 * control run (each process with its own in-process budget) shows the same load does get 429s.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const WORKER = fileURLToPath(new URL('./budget-worker.ts', import.meta.url));
// 1 200/min = 200 per 10 s window: the simulator enforces exactly the budget we configure.
const PER_MINUTE = 1_200;
const WINDOW = { limit: 200, windowMs: 10_000 };

function runWorker(settings: Record<string, unknown>): Promise<{ requests: number; rateLimited429: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, PUFFLE_TEST_WORKER: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}

describe('two processes, one shared budget', () => {
  let sim: Simulator;
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, scale: 100, rateLimit: WINDOW });
    db = await createTestDatabase('budget_sim');
  });
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
  });

  const settings = (redisUrl: string, prefix: string, apiKey = sim.keys[0], postgresUrl = '') => ({
    baseUrl: sim.url,
    apiKey,
    redisUrl,
    postgresUrl,
    prefix,
    perMinute: PER_MINUTE,
    requests: 110,
    concurrency: 3,
    path: '/api/campaigns',
  });

  it.each(['redis', 'postgres'])(
    '220 requests from two processes, budget in %s: 0 × 429',
    async (store) => {
      // Each store gets a key of its own: the simulator's window for it starts empty.
      const key = `pk_live_${store}SharedKey0123456789`;
      sim.addKey(key);
      sim.resetLog();
      const prefix = uniquePrefix('shared');
      const one = () =>
        store === 'redis' ? settings(testRedisUrl(), prefix, key) : settings('', prefix, key, db.url);
      const results = await Promise.all([runWorker(one()), runWorker(one())]);
      const served = sim.requests.filter((r) => r.path === '/api/campaigns');
      expect(served.length).toBeGreaterThanOrEqual(220);
      expect(served.filter((r) => r.status === 429)).toHaveLength(0);
      expect(results.map((r) => r.rateLimited429)).toEqual([0, 0]);
      expect(results.reduce((n, r) => n + r.requests, 0)).toBe(220);
    },
    40_000,
  );

  it('control: the same load with per-process budgets is throttled (the check above can fail)', async () => {
    // A second key has its own simulator window, untouched by the test above.
    const key = 'pk_live_controlKey0123456789';
    sim.addKey(key);
    sim.resetLog();
    const results = await Promise.all([runWorker(settings('', 'x', key)), runWorker(settings('', 'x', key))]);
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.rateLimited429, 0)).toBeGreaterThan(0);
  }, 60_000);
});
