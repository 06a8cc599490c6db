/**
 * The run's stop switch (plan/run-stop.ts) for queued units: kept by the queue backend's run
 * flags (run-abort.ts), so every job of the run, in any worker, sees it before calling Puffle.
 * The flag holds text, so the reason travels as a failure reason (`[code] Name: message`) and is
 * read back with its code.
 */
import { errorSummary } from '../../error-summary.ts';
import type { RunStop } from '../plan/run-stop.ts';
import type { JobContext } from './context.ts';
import { failureReason, parseFailure } from './error-mapping.ts';

export function queuedRunStop(ctx: Pick<JobContext, 'runFlags'>, runId: string): RunStop {
  return {
    async reason() {
      const reason = await ctx.runFlags.authRejectedReason(runId);
      return reason === undefined ? undefined : parseFailure(reason);
    },
    async stop(err) {
      await ctx.runFlags.markAuthRejected(runId, failureReason(errorSummary(err)));
    },
  };
}
