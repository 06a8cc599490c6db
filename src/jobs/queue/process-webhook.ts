/**
 * A webhook job: the targeted sync of one stream's pending webhook events (targeted-sync.ts),
 * run by whichever worker takes it. A failed walk is not a failed job: its events stay pending
 * with a later due time, and the receiver's sweep queues them again then. If another worker
 * walks the stream's targeted checkpoint right now, the job is delayed instead.
 */
import { DelayedError, type Job } from 'bullmq';
import { syncWebhookEvents, type TargetedSyncResult } from '../targeted-sync.ts';
import type { JobContext } from './context.ts';
import { createJobClient } from './job-client.ts';
import { LOCKED_RETRY_MS } from './process-partition.ts';
import type { WebhookJobData } from './types.ts';

export async function processWebhook(
  ctx: JobContext,
  job: Job<WebhookJobData>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<TargetedSyncResult> {
  const client = createJobClient(ctx);
  try {
    const result = await syncWebhookEvents(
      { db: ctx.db, client, logger: ctx.logger, locks: ctx.locks },
      { stream: job.data.stream, lookbackMs: ctx.config.signalsLookbackMs, signal },
    );
    if (result.status === 'busy') {
      await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
      throw new DelayedError();
    }
    return result;
  } finally {
    await client.close();
  }
}
