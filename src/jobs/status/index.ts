/**
 * src/jobs/status — the status report behind `puffle-sync status` and the dashboard.
 *
 * ```ts
 * collectStatus(reader, { queue?, freshness?, runs? }?): Promise<StatusReport>
 * formatStatus(report): string        // the text of `puffle-sync status`
 * formatAge(seconds): string           // 45s, 12m, 5h, 3d
 * ```
 */
export {
  type CollectStatusOptions,
  collectStatus,
  RECENT_RUNS,
  type StatusReport,
  type StreamHealth,
  type StreamStatus,
} from './collect-status.ts';
export { formatAge } from './format-age.ts';
export { formatStatus } from './format-status.ts';
