/** Wiring for sync integration tests: a simulator, a fresh Postgres database, and runSync between them. */
import { loadConfig } from '../../src/config/config.ts';
import { STREAM_NAMES, type StreamName } from '../../src/extract/streams.ts';
import { type RunSyncOptions, runSync, type SyncSummary } from '../../src/jobs/run-sync.ts';
import { openRuntime, type Runtime } from '../../src/jobs/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export async function syncOnce(
  sim: Simulator,
  target: { databaseUrl?: string; dataDir?: string; schema?: string },
  opts: Partial<RunSyncOptions> & { perMinute?: number; key?: string } = {},
): Promise<SyncSummary> {
  const runtime = await openSyncRuntime(sim, target, opts.perMinute, opts.key);
  try {
    return await runSync(
      { db: runtime.db, client: runtime.client, locks: runtime.locks, logger: silentLogger },
      {
        streams: opts.streams ?? (STREAM_NAMES as StreamName[]),
        enrichmentRunIds: sim.enrichmentRunIds,
        lookbackMs: 3_600_000,
        concurrency: 6,
        ...opts,
      },
    );
  } finally {
    await runtime.close();
  }
}

export async function openSyncRuntime(
  sim: Simulator,
  target: { databaseUrl?: string; dataDir?: string; schema?: string },
  perMinute = 60_000,
  key = sim.keys[0]!,
): Promise<Runtime> {
  const config = loadConfig({
    PUFFLE_API_BASE_URL: sim.url,
    DATABASE_URL: target.databaseUrl,
    PUFFLE_SYNC_DATA_DIR: target.dataDir ?? './.puffle-sync-test',
    PUFFLE_SYNC_SCHEMA: target.schema,
    PUFFLE_RATE_LIMIT_PER_MIN: String(perMinute),
    PUFFLE_REQUEST_TIMEOUT_MS: '5000',
  });
  return openRuntime(config, silentLogger, { apiKey: key });
}

export function totals(summary: SyncSummary) {
  const t = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 };
  for (const s of summary.streams) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += s.counts[k];
  return t;
}
