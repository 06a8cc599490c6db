/**
 * src/jobs/queue — the distributed mode: BullMQ flows of run → stream → partition jobs, on Redis
 * or on the warehouse's Postgres (PUFFLE_QUEUE_BACKEND).
 *
 * ```ts
 * openSyncQueue(config): SyncQueue                       // { backend, queue, runFlags, createWorker, close() }
 * enqueueRun(queue, { streams, trigger?, fullRefresh?, windows? }): Promise<runId>
 * enqueueWebhookSync(queue, stream, { coalesceMs }): a targeted sync at the end of the window
 * followRun(db, runId, { onProgress?, pollMs?, signal? }): Promise<SyncSummary>
 * startSyncWorker({ config, logger, concurrency?, lockDurationMs?, stalledIntervalMs?, slotWaitMs? }): Promise<SyncWorker>
 * upsertSchedule(queue, { cron, tz?, streams? }) / removeSchedule(queue) / getSchedule(queue)
 * monthlyWindows(from, to): BackfillWindow[]
 * dailyWindows(from, to): BackfillWindow[]   (the days snapshot streams with a date walk)
 * readQueueJobs(queue): Promise<QueueJobs>   // by state, and partition jobs per stream (for status)
 * ```
 */
export { dailyWindows, monthlyWindows, parseDateFlag } from './backfill-windows.ts';
export { type EnqueueRunOptions, enqueueRun, enqueueWebhookSync } from './enqueue.ts';
export { type FollowRunOptions, followRun } from './follow-run.ts';
export { type HealthServer, serveHealthz } from './healthz.ts';
export { openSyncQueue, type SyncQueue } from './queue.ts';
export { type QueueJobs, readQueueJobs } from './queue-jobs.ts';
export { type RunReport, readRunReport, toSyncSummary } from './run-report.ts';
export { getSchedule, removeSchedule, SCHEDULER_ID, type ScheduleInfo, upsertSchedule } from './scheduler.ts';
export type { BackfillWindow, PartitionJobData, RunJobData, StreamJobData, WebhookJobData } from './types.ts';
export { type SyncWorker, type SyncWorkerOptions, startSyncWorker } from './worker.ts';
