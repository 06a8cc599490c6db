/**
 * 1. Budget use: simulator limit = configured budget; achieved requests/min over the whole sync
 * ÷ budget, with 1 inline worker and 3 BullMQ workers sharing the budget — with the queue and
 * the budget in Redis (1c), and in Postgres with no Redis at all (1d). 429s must be 0.
 */
import { loadConfig } from '../../src/config/config.ts';
import type { QueueBackendName } from '../../src/config/variables.ts';
import { DEFAULT_STREAMS, type StreamName } from '../../src/extract/streams.ts';
import { enqueueRun, followRun, openSyncQueue, startSyncWorker } from '../../src/jobs/queue/index.ts';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase, uniquePrefix } from '../../test/helpers/services.ts';
import { syncOnce } from '../../test/helpers/sync-harness.ts';
import { backendEnv } from '../../test/jobs/queue-helpers.ts';
import type { BenchContext } from '../lib/context.ts';
import type { Figure } from '../lib/figure.ts';
import { median, round } from '../lib/stats.ts';

interface Use {
  ratio: number;
  requests: number;
  wallMs: number;
  r429: number;
  status: string;
}

function startLimitedSim(ctx: BenchContext): Promise<Simulator> {
  // the catalog's own statement of the limit: no 10-second span holds more than a sixth of the
  // minute's budget. A run of ≥ 300 requests fills that window many times over.
  return startSimulator({
    seed: ctx.seed,
    scale: ctx.budgetScale,
    rateLimit: { limit: Math.max(1, Math.floor(ctx.perMinute / 6)), windowMs: 10_000 },
  });
}

function use(ctx: BenchContext, sim: Simulator, wallMs: number, status: string): Use {
  // Requests Puffle answered (a 429 is not a use of the budget, it is a miss).
  const r429 = sim.requests.filter((r) => r.status === 429).length;
  const requests = sim.requestCount - r429;
  return { ratio: requests / (wallMs / 60_000) / ctx.perMinute, requests, wallMs, r429, status };
}

async function inlineOnce(ctx: BenchContext): Promise<Use> {
  const sim = await startLimitedSim(ctx);
  const db = await createTestDatabase('bench_budget');
  try {
    const summary = await syncOnce(
      sim,
      { databaseUrl: db.url },
      { perMinute: ctx.perMinute, concurrency: ctx.concurrency, streams: [...DEFAULT_STREAMS] },
    );
    return use(ctx, sim, summary.durationMs, summary.status);
  } finally {
    await sim.close();
    await db.drop();
  }
}

async function workersOnce(ctx: BenchContext, workers: number, backend: QueueBackendName): Promise<Use> {
  const sim = await startLimitedSim(ctx);
  const tdb = await createTestDatabase('bench_budget_q');
  const config = loadConfig({
    PUFFLE_API_KEY: sim.keys[0],
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: tdb.url,
    ...backendEnv(backend),
    PUFFLE_QUEUE_PREFIX: uniquePrefix('bench'),
    PUFFLE_RATE_LIMIT_PER_MIN: String(ctx.perMinute),
    PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
  });
  const db = await openDatabase({ databaseUrl: tdb.url, dataDir: '', schema: config.schema });
  await migrate(db);
  const started = await Promise.all(
    Array.from({ length: workers }, () =>
      startSyncWorker({
        config,
        logger: silentLogger,
        concurrency: Math.ceil(ctx.concurrency / workers) + 1,
      }),
    ),
  );
  const queue = openSyncQueue(config);
  try {
    sim.resetLog();
    const t0 = performance.now();
    const runId = await enqueueRun(queue.queue, { streams: DEFAULT_STREAMS as StreamName[] });
    const summary = await followRun(db, runId, { pollMs: 50 });
    return use(ctx, sim, performance.now() - t0, summary.status);
  } finally {
    await Promise.all(started.map((w) => w.close({ timeoutMs: 5_000 })));
    await queue.close();
    await db.close();
    await sim.close();
    await tdb.drop();
  }
}

function figure(ctx: BenchContext, id: string, label: string, runs: Use[]): Figure[] {
  const ratio = round(median(runs.map((r) => r.ratio)), 3);
  const r429 = runs.reduce((n, r) => n + r.r429, 0);
  const requests = median(runs.map((r) => r.requests));
  const detail = `budget ${ctx.perMinute}/min, ${requests} requests per sync (need ≥ ${ctx.minRequests}); reps ${runs.map((r) => `${round(r.ratio, 3)} (${round(r.wallMs / 1000, 1)} s, ${r.status})`).join(', ')}`;
  const enough = requests >= ctx.minRequests;
  return [
    {
      id,
      name: `budget use, ${label}: requests/min ÷ budget`,
      value: enough ? ratio : Number.NaN,
      goal: { op: '>=', target: 0.95 },
      detail: enough ? detail : `dataset too small: ${detail}`,
    },
    {
      id: `${id}b`,
      name: `429 responses, ${label} (all reps)`,
      value: r429,
      goal: { op: '==', target: 0 },
      detail: '',
    },
  ];
}

export async function budgetBenchmark(ctx: BenchContext): Promise<Figure[]> {
  const inline: Use[] = [];
  const queued: Use[] = [];
  const onPostgres: Use[] = [];
  for (let i = 0; i < ctx.reps; i++) {
    inline.push(await inlineOnce(ctx));
    ctx.log(`  budget inline rep ${i + 1}: ${JSON.stringify(inline.at(-1))}`);
    queued.push(await workersOnce(ctx, 3, 'redis'));
    ctx.log(`  budget 3 workers (Redis) rep ${i + 1}: ${JSON.stringify(queued.at(-1))}`);
    onPostgres.push(await workersOnce(ctx, 3, 'postgres'));
    ctx.log(`  budget 3 workers (Postgres) rep ${i + 1}: ${JSON.stringify(onPostgres.at(-1))}`);
  }
  return [
    ...figure(ctx, '1a', '1 worker (inline)', inline),
    ...figure(ctx, '1c', '3 BullMQ workers', queued),
    ...figure(ctx, '1d', '3 BullMQ workers, queue on Postgres', onPostgres),
  ];
}
