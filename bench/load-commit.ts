/**
 * Load-side soak: commits N synthetic `list_leads` records (500 per page, like the API) through
 * commitPage into embedded PGlite (default) or Postgres (DATABASE_URL), then replays every page
 * unchanged and completes the walk (sweep). Reports rows/s for each pass and peak RSS, so a
 * 1,000,000-row load can be checked for memory growth (PGlite keeps its data in-process).
 *
 *   npx tsx bench/load-commit.ts [--rows 1000000] [--page 500] [--lists 20] [--data-dir DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getStream } from '../src/extract/streams.ts';
import { beginWalk, commitPage, migrate, openDatabase, queryRows, startRun } from '../src/load/index.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    page: { type: 'string', default: '500' },
    lists: { type: 'string', default: '20' },
    'data-dir': { type: 'string' },
  },
});
const rows = Number(values.rows);
const pageSize = Number(values.page);
const lists = Number(values.lists);
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'ps-bench-load-'));
const stream = getStream('list_leads');

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 200);

function lead(n: number): Record<string, unknown> {
  return {
    id: `lead_${n.toString(36).padStart(8, '0')}`,
    type: n % 5 === 0 ? 'company' : 'person',
    name: { full: `Person ${n}`, first: 'Person', last: String(n) },
    title: 'Head of Growth',
    company: { name: `Company ${n % 997}`, domain: `c${n % 997}.example` },
    location: { city: 'Lisbon', country: 'PT' },
    lists: [{ id: `list_${n % lists}` }],
    socials: [{ url: `https://linkedin.example/in/p${n}` }],
    createdAt: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString(),
    updatedAt: new Date(Date.UTC(2024, 6, 1) + n * 1000).toISOString(),
  };
}

async function pass(label: string, database: Awaited<ReturnType<typeof openDatabase>>, runId: string) {
  const perList = Math.ceil(rows / lists);
  const totals = { read: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  const started = Date.now();
  for (let l = 0; l < lists; l++) {
    const partition = `list_${l}`;
    const walk = await beginWalk(database, stream, partition);
    const end = Math.min(rows, (l + 1) * perList);
    for (let start = l * perList; start < end; start += pageSize) {
      const stop = Math.min(end, start + pageSize);
      const records = Array.from({ length: stop - start }, (_, i) => lead(start + i));
      const last = stop >= end;
      const c = await commitPage(database, {
        runId,
        stream,
        partition,
        walkId: walk.walkId,
        records,
        resume: last ? null : { kind: 'cursor', cursor: String(stop) },
      });
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
    }
  }
  const ms = Date.now() - started;
  console.log(
    `${label}: ${totals.read} records in ${(ms / 1000).toFixed(1)} s (${Math.round(totals.read / (ms / 1000))} rows/s) ` +
      `inserted ${totals.inserted}, updated ${totals.updated}, unchanged ${totals.unchanged}, deleted ${totals.deleted}; ` +
      `peak RSS so far ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
}

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, schema: 'bench_load' });
try {
  await migrate(database);
  console.log(`${database.kind}: ${rows} list_leads rows in ${lists} lists, ${pageSize} per page`);
  const runId = await startRun(database, { trigger: 'manual', streams: ['list_leads'] });
  await pass('first load', database, runId);
  await pass('unchanged replay', database, runId);
  const [count] = await queryRows<{ n: number }>(
    database,
    'select count(*)::int as n from bench_load.list_leads',
  );
  console.log(`table holds ${count?.n} rows; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  await database.close();
  if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
}
