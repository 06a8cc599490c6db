/**
 * The "this run is over" flag: set by the first job that sees Puffle reject the API key (401),
 * read by every other job of the run before it calls Puffle. It lives with the queue: a Redis key
 * that expires after a week, or a row in the Postgres coordination schema, kept a week too.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { ensureCoordinationTables, quoteIdent } from '../../extract/index.ts';

const TTL_SECONDS = 7 * 24 * 3600;

export interface RunFlags {
  markAuthRejected(runId: string, message: string): Promise<void>;
  /** The 401 message that stopped the run, or undefined while the run may go on. */
  authRejectedReason(runId: string): Promise<string | undefined>;
}

export function redisRunFlags(redis: Redis, prefix: string): RunFlags {
  const keyOf = (runId: string) => `${prefix}:sync-runs:${runId}:auth-rejected`;
  return {
    async markAuthRejected(runId, message) {
      await redis.set(keyOf(runId), message, 'EX', TTL_SECONDS, 'NX');
    },
    async authRejectedReason(runId) {
      return (await redis.get(keyOf(runId))) ?? undefined;
    },
  };
}

export function postgresRunFlags(pool: pg.Pool, schema: string, prefix: string): RunFlags {
  const table = `${quoteIdent(schema)}.run_flags`;
  const ready = () =>
    ensureCoordinationTables(
      pool,
      schema,
      `create table if not exists ${table} (
        prefix text not null, run_id text not null, auth_rejected text not null,
        at timestamptz not null default now(), primary key (prefix, run_id))`,
    );
  return {
    async markAuthRejected(runId, message) {
      await ready();
      await pool.query(`delete from ${table} where at < now() - make_interval(secs => $1)`, [TTL_SECONDS]);
      await pool.query(
        `insert into ${table} (prefix, run_id, auth_rejected) values ($1, $2, $3) on conflict do nothing`,
        [prefix, runId, message],
      );
    },
    async authRejectedReason(runId) {
      await ready();
      const { rows } = await pool.query<{ reason: string }>(
        `select auth_rejected as reason from ${table} where prefix = $1 and run_id = $2`,
        [prefix, runId],
      );
      return rows[0]?.reason;
    },
  };
}
