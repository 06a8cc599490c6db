/**
 * Each processing of a job is a span (`puffle.job.<name>`), a child of the span that queued the
 * job: its W3C trace context travels in `job.data.trace`, next to the ids the job carries anyway.
 * A run queued without one (by the scheduler) starts a trace; its context is stored in the job so
 * the run's later steps (finish, a retry) stay in the same trace. Nothing here runs any code of
 * the job itself; with tracing off the carrier is never written.
 */
import { DelayedError, type Job, RateLimitError, WaitingChildrenError } from 'bullmq';
import { inSpan, type TraceCarrier, traceCarrier } from '../../tracing.ts';

interface TracedData {
  trace?: TraceCarrier;
  runId?: string;
  stream?: string;
  partition?: string;
  step?: string;
}

/** BullMQ's ways of setting a job aside, thrown by processors; none is a failure. */
const setAside = (err: unknown) =>
  err instanceof WaitingChildrenError || err instanceof DelayedError || err instanceof RateLimitError;

export function processTraced<T>(job: Job, process: () => Promise<T>): Promise<T> {
  const data = job.data as TracedData;
  const attributes = {
    'puffle.job.name': job.name,
    'puffle.job.id': job.id ?? '',
    'puffle.job.attempt': job.attemptsMade + 1,
    ...(data.runId ? { 'puffle.run_id': data.runId } : {}),
    ...(data.stream ? { 'puffle.stream': data.stream } : {}),
    ...(data.partition !== undefined ? { 'puffle.partition': data.partition } : {}),
    ...(data.step ? { 'puffle.job.step': data.step } : {}),
  };
  return inSpan(
    `puffle.job.${job.name}`,
    attributes,
    async () => {
      if (!data.trace && job.name === 'run') {
        const trace = traceCarrier();
        if (trace) await job.updateData({ ...job.data, trace });
      }
      return process();
    },
    { parent: data.trace, failed: (err) => !setAside(err) },
  );
}
