/**
 * src/load — the warehouse side of puffle-sync. What src/jobs calls:
 *
 * ```ts
 * openDatabase({ databaseUrl?, dataDir, schema, logger?, poolSize? }): Promise<Database>
 *   // Postgres pool when databaseUrl, else PGlite in dataDir behind a lock file (second opener →
 *   // DatabaseLockedError), or through `puffle-sync sql` when it serves dataDir (served.ts).
 *   // Unreachable → DatabaseUnreachableError. Both extend ConfigError (exit 2).
 *   // Database = { kind, db, schema, tables, logger, query(sql`…`), tryLock(name), close() };
 *   // close() is idempotent and safe from a SIGINT handler.
 * migrate(database, { dir?, generated? }?): Promise<{ applied: string[]; skipped: string[]; generated: string[] }>
 *   // migrations/ → database.schema, under an advisory lock (safe with N replicas). Call at start-up
 *   // through analytics' migrateWarehouse(), which adds the views and comments as `generated` DDL.
 * buildPrivacyPolicy({ exclude, hash, hashKey? }, { streams, tables }): PrivacyPolicy | undefined
 *   // PUFFLE_EXCLUDE_COLUMNS / PUFFLE_HASH_COLUMNS, validated; pass it to openDatabase({ privacy }):
 *   // every record is protected before it is mapped. reapplyPrivacy(database, def, runId) rewrites
 *   // stored rows under it (full refresh).
 * startRun(database, { trigger, streams, runId? }): Promise<string /* runId *\/>   // an existing run row is kept
 * startStreamRun(database, runId, stream, { cursorBefore? }?): Promise<void>
 * finishStreamRun(database, runId, stream, { status, error?, cursorAfter?, requests?, retries?,
 *   rateLimited?, rateLimitWaitMs?, requestsByStatus? }): Promise<void>     // error: { code, name, message } = runErrorOf(err)
 * finishRun(database, runId, status | { status, error? }, error?): Promise<void>
 *   // on PGlite also runs maintain(database): vacuum walk_seen + analyze (no autovacuum there)
 * listPartitions(database, streamDef, { configuredIds?, fullRefresh? }?): Promise<string[]>
 * beginWalk(database, streamDef, partition, { restart?, walkId?, partitionValue? }?): Promise<Walk>
 *   // Walk = { walkId, resume /* null = from the start *\/, resumed, highWater }
 *   // An unfinished walk (any process, any run) is continued with its id and seen-marks.
 * commitPage(database, { runId, stream, partition, partitionValue?, walkId, records,
 *   resume /* null = walk done *\/, highWater?, trackHighWater? }): Promise<PageCounts>
 *   // PageCounts = { read, inserted, updated, unchanged, rejected, deleted, dropped, held }
 *   // A value Postgres would refuse is dropped (NULL, listed in the row's _changes); rows Postgres
 *   // still refuses are bisected out into rejected_records and the rest of the page commits.
 *   // walkId: from beginWalk(), or the caller's own (reuse getState().walkId when resuming).
 *   // One transaction; any failure → PageCommitError (rolled back: no rows, no checkpoint).
 * pageLanded(database, { stream, partition, walkId, resume }): Promise<boolean>
 *   // after a commit failed on a lost connection: did its COMMIT land anyway? (retry only if not)
 * isConnectionLost(err): boolean   // connection gone (restart, failover, terminate) vs a real error
 * queryRows(database, sqlText | sql`…`): Promise<rows>
 * getState(database, streamName, partition): Promise<SyncState | undefined>
 * maxCursor(database, streamName, column): Promise<string | undefined>
 * rejectPartition(database, { runId, stream, partition, rawPartition, reason }): Promise<boolean>
 *   // a partition whose id cannot be requested: one rejected_records row per run, counted
 * readStreamRunFacts(reader) / readRecentRuns(reader, n) / readRowCounts(reader)
 *   // the reads behind status reports; reader = a Database, or readerOnPool(pool, schema)
 * readRunReport(database, runId): Promise<RunReport>   // one run's sync_runs rows (+ partitions walked)
 * readRunTotals(reader) / readWalkTotals(reader) / readHeldByStream(reader)   // the dashboard's /metrics
 *   // every sync_runs statement is in sync-runs/; RUN_ROW is the run's own row's `stream`
 * recordWebhookEvent(database, event): Promise<boolean /* false = seen before *\/>
 * duePendingEvents(database, stream) / settleWebhookEvents(database, { stream, messageIds, runId,
 *   walked, backoffMs }) / pendingWebhookEvents(database) / syncedWebhookEventsSince / pruneWebhookEvents
 * ```
 *
 * Typical step: `for (const p of await listPartitions(db, def, …)) { const walk = await
 * beginWalk(db, def, p); for await (const page of walkStream(…, { resume: walk.resume }))
 * await commitPage(db, { …, walkId: walk.walkId, records: page.records, resume: page.resume }); }`
 */

export { type CommitGroupCaps, DEFAULT_COMMIT_GROUP } from './commit-group.ts';
export {
  type CommitPageInput,
  commitPage,
  type PageCommit,
  type PageCounts,
  pageLanded,
} from './commit-page.ts';
export { isConnectionLost } from './connection-lost.ts';
export {
  type Database,
  type DatabaseLock,
  type DrizzleDb,
  type Executor,
  type OpenDatabaseOptions,
  openDatabase,
  queryRows,
} from './database.ts';
export {
  DatabaseLockedError,
  DatabaseUnreachableError,
  PageCommitError,
  SyncStateInvalidError,
} from './errors/index.ts';
export { type HeldDeletion, listHeldDeletions, readHeldByStream } from './held-deletions.ts';
export { maintain } from './maintenance.ts';
export {
  ALL_ROWS_FLOOR,
  DEFAULT_DELETE_GUARD,
  type DeleteGuard,
  isMassDeletion,
  planSweep,
} from './mass-delete-guard.ts';
export { type GeneratedMigration, type MigrateResult, type MigrationTx, migrate } from './migrate.ts';
export { isUndefinedTable, rowsOnceMigrated } from './once-migrated.ts';
export { type ListPartitionsOptions, listPartitions, maxCursor } from './partitions.ts';
export { buildPrivacyPolicy, type PrivacyPolicy, type PrivacySettings } from './privacy.ts';
export { reapplyPrivacy } from './privacy-reapply.ts';
export { type DatabaseReader, readerOnPool } from './reader.ts';
export { type RejectedPartition, rejectPartition } from './rejected-partition.ts';
export { readRowCounts, type StreamRowCounts } from './row-counts.ts';
export { buildTables, type Tables } from './schema.ts';
export { sqlStateOf } from './sql-state.ts';
export {
  abandonInterruptedRuns,
  type FinishOptions,
  findInterruptedRun,
  findStoppedFullRefresh,
  finishRun,
  finishStreamRun,
  type InterruptedRun,
  type RecentRun,
  RUN_ROW,
  type RunCounters,
  type RunError,
  type RunReport,
  type RunRow,
  type RunStatus,
  type RunTotals,
  type RunTrigger,
  readRecentRuns,
  readRunReport,
  readRunTotals,
  readStreamRunFacts,
  reopenRun,
  runErrorOf,
  runRowClosed,
  type StreamRunFacts,
  type StreamRunTotals,
  startRun,
  startStreamRun,
  streamRunFactsSql,
} from './sync-runs/index.ts';
export {
  finishedByThisRun,
  getState,
  partitionStateKey,
  partitionsWalkedBy,
  readWalkTotals,
  restartsWalk,
  type StepCheckpoint,
  type SyncState,
  stepStateKey,
  targetedStateKey,
  type WalkTotals,
  walkSince,
} from './sync-state.ts';
export { type BeginWalkOptions, beginWalk, type Walk } from './walks.ts';
export {
  duePendingEvents,
  type NewWebhookEvent,
  type PendingByStream,
  type PendingWebhookEvent,
  pendingWebhookEvents,
  pruneWebhookEvents,
  recordWebhookEvent,
  type SettledWebhookEvent,
  type SettleResult,
  settleWebhookEvents,
  syncedWebhookEventsSince,
  type WebhookEventStatus,
} from './webhook-events.ts';
