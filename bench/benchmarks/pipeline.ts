/**
 * 2. Pipeline overhead and 4. memory, from the same syncs: each sync runs in a child
 * process (its peak RSS is its own) against an unthrottled simulator in another child process.
 *   2: sync wall ÷ max(raw fetch, raw COPY) at `records`, side by side per repetition;
 *   4: sync peak RSS at `records` ÷ at `smallRecords`.
 * (6, PGlite, is its own group: benchmarks/pglite.ts.)
 */
import type { SyncChildResult } from '../child/sync-child.ts';
import type { BenchContext } from '../lib/context.ts';
import { scaleForRecords } from '../lib/context.ts';
import { renderDataset } from '../lib/dataset-files.ts';
import type { Figure } from '../lib/figure.ts';
import { freshDatabase } from '../lib/fresh-db.ts';
import { rawCopy } from '../lib/raw-copy.ts';
import { rawFetch } from '../lib/raw-fetch.ts';
import { startSimProcess } from '../lib/sim-process.ts';
import { median, round } from '../lib/stats.ts';
import { syncInChild } from '../lib/sync-process.ts';

async function postgresSync(ctx: BenchContext, sim: Awaited<ReturnType<typeof startSimProcess>>) {
  const target = await freshDatabase('bench_sync');
  try {
    return await syncInChild({
      url: sim.url,
      key: sim.key,
      databaseUrl: target.url,
      perMinute: 1e9,
      enrichmentRunIds: sim.enrichmentRunIds,
      concurrency: ctx.concurrency,
    });
  } finally {
    await target.drop();
  }
}

const s = (ms: number) => `${round(ms / 1000, 1)} s`;

export async function pipelineBenchmarks(ctx: BenchContext): Promise<Figure[]> {
  const scale = await scaleForRecords(ctx.records, ctx.seed);
  const data = await renderDataset(ctx.seed, scale);
  const total = Object.values(data.rows).reduce((a, b) => a + b, 0);
  const sim = await startSimProcess({ seed: ctx.seed, scale, rateLimit: null });
  const overhead: number[] = [];
  const details: string[] = [];
  const big: SyncChildResult[] = [];
  try {
    for (let i = 0; i < ctx.bigReps; i++) {
      const fetch = await rawFetch(sim, ctx.concurrency);
      const raw = await freshDatabase('bench_copy');
      const copy = await rawCopy(raw.url, data).finally(() => raw.drop());
      const sync = await postgresSync(ctx, sim);
      big.push(sync);
      const ratio = sync.wallMs / Math.max(fetch.ms, copy.ms);
      overhead.push(ratio);
      details.push(
        `rep ${i + 1}: sync ${s(sync.wallMs)} (${sync.records} records, ${sync.status}; last to finish: ${sync.slowest}), raw fetch ${s(fetch.ms)} (${fetch.records} records, ${fetch.pages} pages), raw COPY ${s(copy.ms)} (${copy.rows} rows) → ${round(ratio)} (÷ their sum, the bound when both compete for the same cores: ${round(sync.wallMs / (fetch.ms + copy.ms))})`,
      );
      ctx.log(`  pipeline ${details.at(-1)}`);
    }
  } finally {
    await sim.close();
  }

  const smallScale = await scaleForRecords(ctx.smallRecords, ctx.seed);
  const smallSim = await startSimProcess({ seed: ctx.seed, scale: smallScale, rateLimit: null });
  const small: SyncChildResult[] = [];
  try {
    for (let i = 0; i < ctx.reps; i++) {
      small.push(await postgresSync(ctx, smallSim));
      ctx.log(`  small rep ${i + 1}: postgres ${JSON.stringify(small.at(-1))}`);
    }
  } finally {
    await smallSim.close();
  }

  const rssBig = median(big.map((r) => r.peakRssMb));
  const rssSmall = median(small.map((r) => r.peakRssMb));
  const complete = big.every((r) => r.status === 'succeeded' && r.records >= total);
  return [
    {
      id: '2',
      name: `pipeline overhead at ${total} records: sync ÷ max(fetch, COPY)`,
      value: complete ? round(median(overhead)) : Number.NaN,
      goal: { op: '<=', target: 1.25 },
      detail: `${complete ? '' : 'SYNC INCOMPLETE; '}scale ${scale}; ${details.join('; ')}`,
    },
    {
      id: '4',
      name: `memory: peak RSS at ${big[0]?.records ?? total} ÷ at ${small[0]?.records ?? '?'} records`,
      value: round(rssBig / rssSmall),
      goal: { op: '<=', target: 1.2 },
      detail: `peak RSS ${big.map((r) => Math.round(r.peakRssMb)).join('/')} MB vs ${small.map((r) => Math.round(r.peakRssMb)).join('/')} MB`,
    },
  ];
}
