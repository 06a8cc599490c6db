/** Wiring for queue tests: config for a simulator + database + unique BullMQ prefix, and worker env. */
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { QUEUE_BACKENDS, type QueueBackendName } from '../../src/config/variables.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { type CliResult, startCli } from '../helpers/cli.ts';
import { groupEnv } from '../helpers/commit-group.ts';
import { testRedisUrl } from '../helpers/services.ts';

export interface QueueTarget {
  sim: Simulator;
  databaseUrl: string;
  prefix: string;
  key: string;
  perMinute?: number;
  /** Where the queue lives. @default 'redis' */
  backend?: QueueBackendName;
}

/** The queue backends every queue test and chaos scenario can run under. */
export const QUEUE_BACKEND_NAMES = QUEUE_BACKENDS;

/** The environment of a backend: Redis, or the warehouse's Postgres with no REDIS_URL at all. */
export function backendEnv(backend: QueueBackendName = 'redis'): Record<string, string> {
  return backend === 'postgres' ? { PUFFLE_QUEUE_BACKEND: 'postgres' } : { REDIS_URL: testRedisUrl() };
}

export function queueEnv(t: QueueTarget): Record<string, string> {
  return {
    PUFFLE_API_KEY: t.key,
    PUFFLE_API_BASE_URL: t.sim.url,
    DATABASE_URL: t.databaseUrl,
    ...backendEnv(t.backend),
    PUFFLE_QUEUE_PREFIX: t.prefix,
    PUFFLE_RATE_LIMIT_PER_MIN: String(t.perMinute ?? 6000),
    PUFFLE_ENRICHMENT_RUN_IDS: t.sim.enrichmentRunIds.join(','),
    PUFFLE_REQUEST_TIMEOUT_MS: '5000',
    ...groupEnv,
  };
}

export function queueConfig(t: QueueTarget): Config {
  return loadConfig(queueEnv(t));
}

export interface WorkerProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** stderr so far (pino JSON lines). */
  log(): string;
  /** `job completed` lines logged so far. */
  completed(): number;
  /** Resolves once the worker logged that it takes jobs. */
  ready: Promise<void>;
}

/** `node bin/puffle-sync.js worker …` with short lock/stall timings, logging at info. */
export function startWorkerProcess(t: QueueTarget, args: string[] = []): WorkerProcess {
  const { child, done } = startCli(
    ['worker', '--concurrency', '3', '--lock-duration', '5000', '--stalled-interval', '1000', ...args],
    { ...queueEnv(t), LOG_LEVEL: 'info' },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stderr.includes('"worker started"')) resolve();
      else if (child.exitCode !== null) reject(new Error(`worker exited early: ${stderr}`));
      else setTimeout(check, 25);
    };
    check();
  });
  return {
    child,
    done,
    log: () => stderr,
    completed: () => stderr.split('\n').filter((l) => l.includes('"job completed"')).length,
    ready,
  };
}

/** Paginated requests answered 200 more than once (same path + query): pages fetched again. */
export function refetches(sim: Simulator): number {
  const seen = new Map<string, number>();
  for (const r of sim.requests) {
    if (r.status !== 200) continue;
    const k = `${r.path}?${new URLSearchParams(r.query).toString()}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen.values()].reduce((n, c) => n + (c - 1), 0);
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every value stored under a key prefix, as one string: for "the key never reaches Redis" checks. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  for (const key of await redis.keys(`${prefix}*`)) {
    const type = await redis.type(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return out.join('\n');
}
