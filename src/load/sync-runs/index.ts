/**
 * The one home of sync_runs: every statement on the table is in this directory. Writes: a run's
 * and its streams' rows opened and closed (write.ts), a page's counters inside its commit
 * (page-counters.ts), runs a dead process left behind (interrupted.ts). Reads: one run's rows
 * (report.ts), status reports (history.ts), the dashboard's totals (totals.ts).
 */

export {
  type RecentRun,
  type RunCounters,
  readRecentRuns,
  readStreamRunFacts,
  type StreamRunFacts,
} from './history.ts';
export {
  abandonInterruptedRuns,
  findInterruptedRun,
  findStoppedFullRefresh,
  type InterruptedRun,
  reopenRun,
} from './interrupted.ts';
export { countRejectedPartition, runCounterCtes } from './page-counters.ts';
export { type RunReport, type RunRow, readRunReport } from './report.ts';
export { RUN_ROW, type RunStatus, type RunTrigger } from './run-row.ts';
export { type RunTotals, readRunTotals, type StreamRunTotals } from './totals.ts';
export { streamRunFactsSql } from './view-sql.ts';
export {
  type FinishOptions,
  finishRun,
  finishStreamRun,
  type RunError,
  runErrorOf,
  runRowClosed,
  startRun,
  startStreamRun,
} from './write.ts';
