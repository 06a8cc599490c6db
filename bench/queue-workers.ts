/**
 * Queue-mode figures (not part of `npm test`):
 *
 *   npx tsx bench/queue-workers.ts [workers=3] [scale=5000] [perMinute=6000] [latencyMs=20] [redis|postgres]
 *
 * Starts a simulator whose rate limit equals the budget, a fresh Postgres database and a unique
 * queue prefix, spawns `workers` processes of `puffle-sync worker --concurrency 4`, runs one full
 * sync through the queue and prints: duration, requests, 429s, jobs per worker, and whether every
 * table matches the simulator. Needs Postgres, and Redis unless the backend is postgres.
 */
import { DEFAULT_STREAMS } from '../src/extract/streams.ts';
import { enqueueRun, followRun, openSyncQueue } from '../src/jobs/queue/index.ts';
import { migrate, openDatabase } from '../src/load/index.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { diffTable, isExact } from '../test/helpers/compare-tables.ts';
import { createTestDatabase, uniquePrefix } from '../test/helpers/services.ts';
import { queueConfig, startWorkerProcess } from '../test/jobs/queue-helpers.ts';

const [workers = 3, scale = 5000, perMinute = 6000, latencyMs = 20] = process.argv.slice(2, 6).map(Number);
const backend = process.argv[6] === 'postgres' ? 'postgres' : 'redis';
const key = 'pk_live_benchQueueWorkers01';
const sim = await startSimulator({
  scale,
  seed: 1,
  keys: [key],
  rateLimit: { limit: perMinute, windowMs: 60_000 },
  latencyMs,
});
const pg = await createTestDatabase('bench_queue');
const target = { sim, databaseUrl: pg.url, prefix: uniquePrefix('bench'), key, perMinute, backend } as const;
const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
await migrate(db);
const sq = openSyncQueue(queueConfig(target));
const pool = Array.from({ length: workers }, () => startWorkerProcess(target, ['--concurrency', '4']));
try {
  await Promise.all(pool.map((w) => w.ready));
  const t0 = performance.now();
  const runId = await enqueueRun(sq.queue, { streams: [...DEFAULT_STREAMS] });
  const summary = await followRun(db, runId, { pollMs: 200 });
  const seconds = (performance.now() - t0) / 1000;
  let exact = true;
  for (const name of DEFAULT_STREAMS) exact &&= isExact(await diffTable(db, sim, name));
  const requests = sim.requests.length;
  const rows = summary.streams.reduce((n, s) => n + s.counts.read, 0);
  console.log(
    `${workers} workers on ${backend}, scale ${scale}, budget ${perMinute}/min, latency ${latencyMs} ms: run ${summary.status} in ${seconds.toFixed(1)} s, ` +
      `${rows} records, ${requests} requests (${((requests / seconds) * 60).toFixed(0)}/min), ` +
      `${sim.requests.filter((r) => r.status === 429).length} × 429, jobs per worker ${pool.map((w) => w.completed()).join('/')}, exact: ${exact}`,
  );
} finally {
  for (const w of pool) w.child.kill('SIGTERM');
  await Promise.all(pool.map((w) => w.done));
  await sq.queue.obliterate({ force: true }).catch(() => {});
  await sq.close();
  await db.close();
  await sim.close();
  await pg.drop();
}
