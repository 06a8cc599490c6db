/** Scenario sizes: `small` runs inside `npm test` (≤ 90 s for all), `full` is `npm run chaos`. */
import type { ChaosSize } from './types.ts';

export interface SizeSpec {
  /** Simulator scale (number of leads; every other stream derives from it). */
  scale: number;
  /** SIGKILLs of the sync process. */
  kills: number;
  /** Simulator latency while kills or churn must land mid-walk. */
  latencyMs: number;
}

export const SIZES: Record<ChaosSize, SizeSpec> = {
  small: { scale: 80, kills: 2, latencyMs: 5 },
  full: { scale: 600, kills: 20, latencyMs: 10 },
};
