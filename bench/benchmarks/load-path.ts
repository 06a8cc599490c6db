/**
 * 3. Load path: rows/s of the commit path (commitPage, in commit groups as a sync commits them) ÷
 * rows/s of a raw COPY of the same rows into empty tables; then the same pages again, unchanged,
 * must write 0 rows (no row carries the re-run's run id).
 */
import { sql } from 'drizzle-orm';
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import type { BenchContext } from '../lib/context.ts';
import { scaleForRecords } from '../lib/context.ts';
import { renderDataset } from '../lib/dataset-files.ts';
import type { Figure } from '../lib/figure.ts';
import { freshDatabase } from '../lib/fresh-db.ts';
import { loadPath } from '../lib/load-path.ts';
import { rawCopy } from '../lib/raw-copy.ts';
import { median, round } from '../lib/stats.ts';

export async function loadPathBenchmark(ctx: BenchContext): Promise<Figure[]> {
  const scale = await scaleForRecords(ctx.records, ctx.seed);
  const data = await renderDataset(ctx.seed, scale);
  const ratios: number[] = [];
  const details: string[] = [];
  let rewritten = Number.NaN;
  let rewriteDetail = '';
  for (let i = 0; i < ctx.bigReps; i++) {
    const target = await freshDatabase('bench_load');
    try {
      const copy = await rawCopy(target.url, data);
      const load = await loadPath(target.db, data, ctx.concurrency);
      // The commit path writes the records' child rows (list_cells) too, as the raw COPY does.
      const children = Object.values(data.childRows).reduce((a, b) => a + b, 0);
      const loaded = load.rows + children;
      const ratio = loaded / load.ms / (copy.rows / copy.ms);
      ratios.push(ratio);
      details.push(
        `rep ${i + 1}: upsert ${loaded} rows (${load.rows} records + ${children} child rows) in ${round(load.ms / 1000, 1)} s (${load.pages} pages in ${load.commits} commits) = ${Math.round((loaded / load.ms) * 1000)}/s, COPY ${copy.rows} rows in ${round(copy.ms / 1000, 1)} s = ${Math.round((copy.rows / copy.ms) * 1000)}/s → ${round(ratio)}`,
      );
      ctx.log(`  load path ${details.at(-1)}`);
      if (i === 0) {
        const again = await loadPath(target.db, data, ctx.concurrency);
        let touched = 0;
        for (const s of DEFAULT_STREAMS) {
          const [row] = await target.db.query<{ n: string }>(
            sql`select count(*) as n from ${target.db.tables.streams[s]} where _run_id = ${again.runId}`,
          );
          touched += Number(row?.n ?? 0);
        }
        rewritten = again.written + touched;
        rewriteDetail = `re-run of ${again.rows} unchanged rows: ${again.written} reported written, ${touched} rows carry its run id; ${round(again.ms / 1000, 1)} s`;
        ctx.log(`  load path ${rewriteDetail}`);
      }
    } finally {
      await target.drop();
    }
  }
  const total = Object.values(data.rows).reduce((a, b) => a + b, 0);
  return [
    {
      id: '3',
      name: `load path at ${total} rows: upsert rows/s ÷ raw COPY rows/s`,
      value: round(median(ratios)),
      goal: { op: '>=', target: 0.5 },
      detail: details.join('; '),
    },
    {
      id: '3b',
      name: 'unchanged re-sync: rows written',
      value: rewritten,
      goal: { op: '==', target: 0 },
      detail: rewriteDetail,
    },
  ];
}
