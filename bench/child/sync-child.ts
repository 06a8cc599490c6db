/**
 * One inline sync in its own process, so its peak RSS (getrusage maxrss) is the sync's alone.
 * Argument: JSON SyncChildInput. Prints one JSON line: SyncChildResult.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config/config.ts';
import { DEFAULT_STREAMS, type StreamName } from '../../src/extract/streams.ts';
import { boundHeapGrowth } from '../../src/heap-growth.ts';
import { runSync } from '../../src/jobs/run-sync.ts';
import { openRuntime } from '../../src/jobs/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import { type MemoryPeaks, sampleMemoryPeaks } from '../lib/memory-peaks.ts';

export interface SyncChildInput {
  url: string;
  key: string;
  databaseUrl?: string;
  dataDir?: string;
  perMinute: number;
  enrichmentRunIds: string[];
  concurrency: number;
  streams?: StreamName[];
}

export interface SyncChildResult {
  status: string;
  wallMs: number;
  peakRssMb: number;
  records: number;
  written: number;
  requests: number;
  /** The streams that finished last: seconds from the run's start to each one's end. */
  slowest: string;
  /** Peaks of the parts of its memory (sampled), to tell the WASM heap from the JS heap. */
  memory?: MemoryPeaks;
}

boundHeapGrowth(); // as the CLI does
const input = JSON.parse(process.argv[2] ?? '{}') as SyncChildInput;
const config = loadConfig({
  PUFFLE_API_BASE_URL: input.url,
  DATABASE_URL: input.databaseUrl,
  PUFFLE_SYNC_DATA_DIR: input.dataDir ?? './.puffle-sync-bench',
  PUFFLE_RATE_LIMIT_PER_MIN: String(input.perMinute),
  PUFFLE_REQUEST_TIMEOUT_MS: '30000',
});
const runtime = await openRuntime(config, silentLogger, { apiKey: input.key });
const stopSampling = sampleMemoryPeaks(
  () => (runtime.db.pglite?.Module as { HEAPU8?: Uint8Array } | undefined)?.HEAPU8?.byteLength ?? 0,
);
try {
  const t0 = performance.now();
  const summary = await runSync(
    { db: runtime.db, client: runtime.client, logger: silentLogger },
    {
      streams: input.streams ?? (DEFAULT_STREAMS as StreamName[]),
      enrichmentRunIds: input.enrichmentRunIds,
      lookbackMs: 3_600_000,
      concurrency: input.concurrency,
    },
  );
  const wallMs = performance.now() - t0;
  const memory = stopSampling();
  let records = 0;
  let written = 0;
  let requests = 0;
  for (const s of summary.streams) {
    records += s.counts.read;
    written += s.counts.inserted + s.counts.updated;
    requests += s.requests;
  }
  const ends = await runtime.db.query<{ stream: string; s: number }>(
    sql`select stream, extract(epoch from finished_at - (select started_at from ${runtime.db.tables.sync_runs}
          where run_id = ${summary.runId} and stream = '*'))::float8 as s
        from ${runtime.db.tables.sync_runs} where run_id = ${summary.runId} and stream <> '*'
        order by finished_at desc nulls first limit 3`,
  );
  const result: SyncChildResult = {
    status: summary.status,
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    records,
    written,
    requests,
    slowest: ends.map((e) => `${e.stream} ${Math.round(e.s)} s`).join(', '),
    memory,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await runtime.close();
}
