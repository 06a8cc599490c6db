/**
 * 6. The embedded default: the same `smallRecords` sync (unthrottled simulator in its own process)
 * into Postgres and into a fresh PGlite data dir, alternately, each sync in a child process of its
 * own (its getrusage maxrss is the sync's, and for PGlite the database's too).
 *   6a: PGlite sync wall ÷ Postgres sync wall (median of the repetitions);
 *   6b: PGlite sync peak RSS (median), with what filled it (V8 heap, WASM memory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncChildResult } from '../child/sync-child.ts';
import type { BenchContext } from '../lib/context.ts';
import { scaleForRecords } from '../lib/context.ts';
import type { Figure } from '../lib/figure.ts';
import { freshDatabase } from '../lib/fresh-db.ts';
import { startSimProcess } from '../lib/sim-process.ts';
import { median, round } from '../lib/stats.ts';
import { syncInChild } from '../lib/sync-process.ts';

const s = (ms: number) => `${round(ms / 1000, 1)} s`;

function memoryText(r: SyncChildResult): string {
  const m = r.memory;
  if (!m) return `${Math.round(r.peakRssMb)} MB`;
  return `${Math.round(r.peakRssMb)} MB (V8 heap ${m.heapTotalMb}, WASM memory ${m.wasmMb} mapped, ArrayBuffers ${m.arrayBuffersMb})`;
}

export async function pgliteBenchmark(ctx: BenchContext): Promise<Figure[]> {
  const scale = await scaleForRecords(ctx.smallRecords, ctx.seed);
  const sim = await startSimProcess({ seed: ctx.seed, scale, rateLimit: null });
  const common = {
    url: sim.url,
    key: sim.key,
    perMinute: 1e9,
    enrichmentRunIds: sim.enrichmentRunIds,
    concurrency: ctx.concurrency,
  };
  const pg: SyncChildResult[] = [];
  const lite: SyncChildResult[] = [];
  try {
    for (let i = 0; i < ctx.reps; i++) {
      const target = await freshDatabase('bench_sync');
      try {
        pg.push(await syncInChild({ ...common, databaseUrl: target.url }));
      } finally {
        await target.drop();
      }
      const dir = mkdtempSync(join(tmpdir(), 'puffle-bench-pglite-'));
      try {
        lite.push(await syncInChild({ ...common, dataDir: dir }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      ctx.log(
        `  pglite rep ${i + 1}: postgres ${JSON.stringify(pg.at(-1))} pglite ${JSON.stringify(lite.at(-1))}`,
      );
    }
  } finally {
    await sim.close();
  }
  const records = lite[0]?.records ?? '?';
  const complete = [...pg, ...lite].every((r) => r.status === 'succeeded' && r.records === pg[0]?.records);
  const ratios = lite.map((r, i) => round(r.wallMs / pg[i]!.wallMs));
  return [
    {
      id: '6a',
      name: `PGlite ÷ Postgres sync wall at ${records} records`,
      value: complete
        ? round(median(lite.map((r) => r.wallMs)) / median(pg.map((r) => r.wallMs)))
        : Number.NaN,
      goal: { op: '<=', target: 1.5 },
      detail: `${complete ? '' : 'SYNC INCOMPLETE; '}scale ${scale}; per rep ${ratios.join(', ')}; PGlite ${lite.map((r) => `${s(r.wallMs)} ${r.status}`).join(', ')}; Postgres ${pg.map((r) => `${s(r.wallMs)} ${r.status}`).join(', ')}`,
    },
    {
      id: '6b',
      name: `PGlite sync peak RSS (MB) at ${records} records`,
      value: complete ? Math.round(median(lite.map((r) => r.peakRssMb))) : Number.NaN,
      goal: { op: '<=', target: 400 },
      detail: `PGlite ${lite.map(memoryText).join('; ')}; the same sync into Postgres ${pg.map(memoryText).join('; ')}`,
    },
  ];
}
