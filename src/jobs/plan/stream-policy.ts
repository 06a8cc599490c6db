/**
 * The policy of a stream and of a run, for both drivers: how a stream opens (a stopped run's
 * stream fails at once; otherwise its sync_runs row, a full refresh's privacy pass, its units),
 * what its units' failures make of it, and how its row and the run's are closed — once: a retried
 * close (a commit whose reply was lost, a re-processed finish step) must not add counters twice.
 */

import { errorSummary } from '../../error-summary.ts';
import type { RequestStats } from '../../extract/index.ts';
import type { StreamDef, StreamName } from '../../extract/streams.ts';
import {
  type Database,
  finishRun,
  finishStreamRun,
  type RunError,
  runRowClosed,
  startStreamRun,
} from '../../load/index.ts';
import type { Logger } from '../../log.ts';
import { type FinalStatus, runStatusOf, streamStatusOf } from '../outcome.ts';
import { reapplyPrivacyForFullRefresh } from '../privacy-refresh.ts';
import type { RunPlan } from './run-plan.ts';
import type { RunStop } from './run-stop.ts';
import type { WithDb } from './unit-policy.ts';
import { type Unit, unitsOf } from './units.ts';

export interface PlanIo {
  db: Database;
  logger: Logger;
  withDb: WithDb;
}

export interface Outcome {
  status: FinalStatus;
  error?: RunError;
}

/** The stream's units, or why it failed before any (a stopped run, a failed listing). */
export async function openStream(
  io: PlanIo,
  run: RunPlan,
  def: StreamDef,
  stop: RunStop,
): Promise<{ units: Unit[] } | { failed: RunError }> {
  const stopped = await stop.reason();
  if (stopped) return { failed: stopped };
  const { db, logger, withDb } = io;
  try {
    await withDb('start stream run', () => startStreamRun(db, run.runId, def.name));
    if (run.fullRefresh)
      await withDb('re-apply personal-data settings', () =>
        reapplyPrivacyForFullRefresh(db, def, run.runId, logger),
      );
    return { units: await withDb('list partitions', () => unitsOf(db, run, def)) };
  } catch (err) {
    return { failed: errorSummary(err) };
  }
}

/** A stream's outcome from its units': a stopped run puts its reason first (it ends the stream). */
export function streamOutcome(attempted: number, failures: readonly RunError[], stopped?: RunError): Outcome {
  const all = stopped && failures.length > 0 ? [stopped, ...failures] : failures;
  return { status: streamStatusOf(attempted, all), error: all[0] };
}

/** A run's outcome from its streams': a stopped run failed, whatever its streams did. */
export function runOutcome(
  streams: readonly { status: string; error?: RunError }[],
  stopped?: RunError,
): Outcome {
  const error = stopped ?? streams.find((s) => s.status !== 'succeeded' && s.error)?.error;
  return { status: runStatusOf(streams, stopped !== undefined), error };
}

export async function closeStream(
  io: PlanIo,
  runId: string,
  stream: StreamName,
  outcome: Outcome & Partial<RequestStats>,
): Promise<void> {
  await io.withDb('finish stream run', async () => {
    if (!(await runRowClosed(io.db, runId, stream))) await finishStreamRun(io.db, runId, stream, outcome);
  });
  if (outcome.status !== 'succeeded')
    io.logger.warn({ stream, runId, status: outcome.status, error: outcome.error }, 'stream did not succeed');
}

export async function closeRun(io: PlanIo, runId: string, outcome: Outcome): Promise<void> {
  await io.withDb('finish run', async () => {
    if (!(await runRowClosed(io.db, runId))) await finishRun(io.db, runId, outcome);
  });
}
