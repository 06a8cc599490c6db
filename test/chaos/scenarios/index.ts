/** Every chaos scenario, in the order the results table lists them. */
import type { Scenario } from '../types.ts';
import { badData } from './bad-data.ts';
import { httpFaults } from './http-faults.ts';
import { keyRevoked } from './key-revoked.ts';
import { overlappingRuns } from './overlapping-runs.ts';
import { pgTerminate } from './pg-terminate.ts';
import { redisKill } from './redis-kill.ts';
import { sigkillInline } from './sigkill-inline.ts';
import { sourceChurn } from './source-churn.ts';

export const SCENARIOS: readonly Scenario[] = [
  sigkillInline,
  httpFaults,
  keyRevoked,
  sourceChurn,
  badData,
  pgTerminate,
  redisKill,
  overlappingRuns,
];
