/** Every chaos scenario, in the order the results table lists them. */
import type { Scenario } from '../types.ts';
import { badData } from './bad-data.ts';
import { churnKill } from './churn-kill.ts';
import { hostileSource } from './hostile-source.ts';
import { hostileSourceQueue } from './hostile-source-queue.ts';
import { httpFaults } from './http-faults.ts';
import { keyRevoked } from './key-revoked.ts';
import { keyRevokedQueue } from './key-revoked-queue.ts';
import { overlappingRuns } from './overlapping-runs.ts';
import { overlappingRunsQueue } from './overlapping-runs-queue.ts';
import { pgTerminate } from './pg-terminate.ts';
import { pgTerminateQueue } from './pg-terminate-queue.ts';
import { redisKill } from './redis-kill.ts';
import { redisKillQueue } from './redis-kill-queue.ts';
import { sigkillInline } from './sigkill-inline.ts';
import { sigkillPglite } from './sigkill-pglite.ts';
import { sigkillQueue } from './sigkill-queue.ts';
import { sourceChurn } from './source-churn.ts';

export const SCENARIOS: readonly Scenario[] = [
  sigkillInline,
  sigkillPglite,
  sigkillQueue,
  httpFaults,
  keyRevoked,
  keyRevokedQueue,
  sourceChurn,
  churnKill,
  badData,
  pgTerminate,
  pgTerminateQueue,
  redisKill,
  redisKillQueue,
  overlappingRuns,
  overlappingRunsQueue,
  hostileSource,
  hostileSourceQueue,
];
