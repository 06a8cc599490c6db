/**
 * src/extract — everything that turns "stream X" into ordered pages of records with a resume
 * point after each, however Puffle misbehaves. Never touches Postgres.
 *
 *   const budget = createRequestBudget({ perMinute: config.rateLimitPerMin, redis: config.redisUrl,
 *                                        keyId: apiKeyId(apiKey) });
 *   const client = createPuffleClient({ baseUrl, apiKey, budget, logger });
 *   for await (const page of walkStream(client, getStream('campaign_leads'), { partition, resume })) …
 *   client.stats()  // per stream: requests, retries, rateLimited429, rateLimitWaitMs, budgetWaitMs, byStatus
 *   await client.close(); await budget.close();
 *
 * - `client.get(path, query, { stream, signal })` → parsed JSON (after budget, 429 waits, retries).
 * - `budget.take(signal?)`, `budget.blockUntil(epochMs)`, `budget.blockedUntil()`, `budget.close()`;
 *   with `redis` or `postgres` the pacing and the 429 block are shared by every process using the key.
 * - `fetchPortalUrl(client)` → the short-lived Svix portal URL (`puffle-sync webhooks --portal`).
 * - `walkStream(client, def, { partition, resume, since, until, signal, query })` → AsyncGenerator<Page>;
 *   `Page.resume === null` on the last page. The `account` record keeps `profile` nested.
 * - Errors (./errors): AuthRejectedError (fatal), RateLimitedError (`retryAt`; resume from the last
 *   committed page), RetryableError (attempts exhausted), RequestRejectedError (`status`, `apiCode`,
 *   `isNotFound`), PaginationError (`reason`; a contradiction or no progress: never an endless loop, never a false completion), UnsafeEndpointError, UnsafePartitionIdError
 *   (an id that cannot be a path segment: `..`, `/`, `%`…), ResponseTooLargeError. Each class has a
 *   stable `code` (`AuthRejectedError.code` = `auth_rejected`, …) that callers branch on.
 */
export {
  apiKeyId,
  createRequestBudget,
  DEFAULT_COORDINATION_SCHEMA,
  ensureCoordinationTables,
  observeBudget,
  quoteIdent,
  type RequestBudget,
  type RequestBudgetOptions,
  type TakeOptions,
  type TakeResult,
} from './budget/index.ts';
export {
  createPuffleClient,
  type GetOptions,
  type PuffleClient,
  type PuffleClientOptions,
  type Query,
} from './client.ts';
export { type RequestStats, type StreamStats, statsSince, sumCounts } from './client-stats.ts';
export * from './errors/index.ts';
export type { Page, PaginatorConfig, ResumeToken } from './paginators/types.ts';
export { printableId, unsafePartitionReason } from './partition-id.ts';
export { fetchPortalUrl, PORTAL_PATH } from './portal.ts';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  retryDelayFromHeaders,
} from './retry-timing.ts';
export {
  getStream,
  STREAM_NAMES,
  STREAMS,
  type StreamDef,
  type StreamName,
  streamsInDependencyOrder,
} from './streams.ts';
export { unsafePartition, type WalkOptions, walkStream } from './walk-stream.ts';
