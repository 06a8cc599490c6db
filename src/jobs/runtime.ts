/**
 * Opens what a sync needs from a validated Config — database (migrated), request budget, Puffle
 * client — and closes it all once, in reverse order, whatever happened.
 */
import { Redis } from 'ioredis';
import { migrateWarehouse } from '../analytics/migration.ts';
import type { Config } from '../config/config.ts';
import type { PuffleClient, RequestBudget } from '../extract/index.ts';
import { apiKeyId, createPuffleClient, createRequestBudget } from '../extract/index.ts';
import { STREAMS } from '../extract/streams.ts';
import type { Database } from '../load/index.ts';
import { buildPrivacyPolicy, buildTables, openDatabase } from '../load/index.ts';
import type { Logger } from '../log.ts';
import { openPartitionLocks, type PartitionLocks } from './partition-locks.ts';
import { queueSchemas } from './queue/queue-schemas.ts';
import { assertRedisReachable } from './redis-reachable.ts';

export interface Runtime {
  db: Database;
  client: PuffleClient;
  budget: RequestBudget;
  redis?: Redis;
  /** Partition walk fences shared with queue workers on the same database. */
  locks: PartitionLocks;
  close(): Promise<void>;
}

/**
 * The configured warehouse: Postgres at DATABASE_URL, else the embedded PGlite in the data dir,
 * writing through the personal-data controls (validated against the catalog first).
 */
export function openConfiguredDatabase(config: Config, logger: Logger): Promise<Database> {
  const privacy = buildPrivacyPolicy(
    { exclude: config.excludeColumns, hash: config.hashColumns, hashKey: config.hashKey },
    { streams: STREAMS, tables: buildTables(config.schema) },
  );
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.schema,
    logger,
    privacy,
    commitGroup: {
      pages: config.commitGroupPages,
      rows: config.commitGroupRows,
      fetchMs: config.commitGroupFetchMs,
    },
  });
}

export async function openRuntime(
  config: Config,
  logger: Logger,
  opts: { apiKey: string },
): Promise<Runtime> {
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  };
  try {
    const db = await openConfiguredDatabase(config, logger);
    closers.push(() => db.close());
    await migrateWarehouse(db);
    let redis: Redis | undefined;
    if (config.queueBackend === 'redis' && config.redisUrl) {
      const connected = await connectRedis(config.redisUrl);
      redis = connected;
      closers.push(() => connected.quit());
    }
    // The budget lives with the queue, so inline syncs and workers of one key share it.
    const onPostgres = config.queueBackend === 'postgres' && config.databaseUrl;
    const budget = createRequestBudget({
      perMinute: config.rateLimitPerMin,
      redis,
      postgres: onPostgres ? config.databaseUrl : undefined,
      schema: queueSchemas(config.queuePrefix).coordination,
      keyId: apiKeyId(opts.apiKey),
      // Every Redis key of a deployment lives under its prefix (ACLs can be scoped to it).
      prefix: config.queuePrefix,
    });
    closers.push(() => budget.close());
    const client = createPuffleClient({
      baseUrl: config.baseUrl,
      apiKey: opts.apiKey,
      timeoutMs: config.requestTimeoutMs,
      maxRateLimitWaitMs: config.maxRateLimitWaitMs,
      maxResponseBytes: config.maxResponseBytes,
      budget,
      logger,
    });
    closers.push(() => client.close());
    const locks = openPartitionLocks(config.databaseUrl, logger);
    closers.push(() => locks.close());
    let closing: Promise<void> | undefined;
    return { db, client, budget, redis, locks, close: () => (closing ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * The budget's connection: a bounded number of retries per command, so a Redis outage surfaces as
 * an error the runner reports instead of a request that waits forever.
 */
async function connectRedis(url: string): Promise<Redis> {
  await assertRedisReachable(url);
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => {}); // reported by the failing command, not as an unhandled event
  return redis;
}
