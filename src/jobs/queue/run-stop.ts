/**
 * The run's stop switch (plan/run-stop.ts) for queued units: kept by the queue backend's run
 * flags (run-abort.ts), so every job of the run, in any worker, sees it before calling Puffle.
 * BullMQ keeps only a message, so the reason travels as `Name: message`.
 */
import { errorSummary } from '../../error-summary.ts';
import { redactSecrets } from '../../log.ts';
import type { RunStop } from '../plan/run-stop.ts';
import type { JobContext } from './context.ts';
import { parseFailure } from './error-mapping.ts';

export function queuedRunStop(ctx: Pick<JobContext, 'runFlags'>, runId: string): RunStop {
  return {
    async reason() {
      const reason = await ctx.runFlags.authRejectedReason(runId);
      return reason === undefined ? undefined : parseFailure(reason);
    },
    async stop(err) {
      const { name, message } = errorSummary(err);
      await ctx.runFlags.markAuthRejected(runId, redactSecrets(`${name}: ${message}`));
    },
  };
}
