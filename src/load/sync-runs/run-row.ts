/**
 * What a sync_runs row is: one per run (`stream` = RUN_ROW) and one per stream in it, keyed
 * (run_id, stream). Every statement on the table is in this directory.
 */

/** The `stream` of a run's own row, which sums its streams' rows. */
export const RUN_ROW = '*';

/** `webhook`: a targeted sync a Puffle webhook triggered (`puffle-sync webhooks`). */
export type RunTrigger = 'manual' | 'schedule' | 'backfill' | 'demo' | 'webhook';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'partial';
