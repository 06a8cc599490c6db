/** Every chaos scenario, in the order the results table lists them. */
import type { Scenario } from '../types.ts';
import { badData } from './bad-data.ts';
import { churnKill } from './churn-kill.ts';
import { hostileSource } from './hostile-source.ts';
import { httpFaults } from './http-faults.ts';
import { keyRevoked } from './key-revoked.ts';
import { overlappingRuns } from './overlapping-runs.ts';
import { pgTerminate } from './pg-terminate.ts';
import { redisKill } from './redis-kill.ts';
import { sigkill } from './sigkill.ts';
import { sigkillPglite } from './sigkill-pglite.ts';
import { sourceChurn } from './source-churn.ts';

/** Scenarios about a run's driver come in pairs, `<name>/inline` and `<name>/queue` (driver.ts). */
export const SCENARIOS: readonly Scenario[] = [
  ...sigkill,
  sigkillPglite,
  httpFaults,
  ...keyRevoked,
  sourceChurn,
  churnKill,
  badData,
  ...pgTerminate,
  ...redisKill,
  ...overlappingRuns,
  ...hostileSource,
];
