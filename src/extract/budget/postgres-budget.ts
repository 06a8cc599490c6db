/**
 * The request budget shared through Postgres by every worker process using one API key, for
 * deployments without Redis. The same GCRA as redis-budget.ts: one row per key holds the
 * theoretical arrival time and the 429 "blocked until" moment, and a single upsert statement
 * reserves the next fleet-wide slot atomically (the row lock serialises concurrent takers) on the
 * database's clock (`clock_timestamp()`, so no client clock skew). Callers sleep locally.
 */
import pg from 'pg';
import { ensureCoordinationTables, quoteIdent } from './coordination-schema.ts';
import { intervalMs, type RequestBudget, type RequestBudgetOptions } from './request-budget.ts';
import { storeBudget } from './store-budget.ts';

export const DEFAULT_COORDINATION_SCHEMA = 'puffle_sync_coordination';

const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::float8';

export function createPostgresBudget(
  opts: RequestBudgetOptions & { postgres: pg.Pool | string },
): RequestBudget {
  const interval = intervalMs(opts.perMinute, opts.safetyMargin);
  const owned = typeof opts.postgres === 'string';
  const pool =
    typeof opts.postgres === 'string'
      ? new pg.Pool({ connectionString: opts.postgres, max: 4, application_name: 'puffle-sync-budget' })
      : opts.postgres;
  if (owned) pool.on('error', () => {}); // an idle client's error; the next query reports it
  const schema = opts.schema ?? DEFAULT_COORDINATION_SCHEMA;
  const table = `${quoteIdent(schema)}.request_budget`;
  const key = `${opts.prefix ?? 'puffle-sync'}:budget:${opts.keyId}`;
  const ready = () =>
    ensureCoordinationTables(
      pool,
      schema,
      `create table if not exists ${table} (
        key text primary key,
        tat double precision not null,
        blocked_until double precision not null,
        seen_ms double precision not null)`,
    );
  // slot = max(tat, now, blocked); tat' = slot + interval; → wait = slot - now, blocked remaining.
  const TAKE = `insert into ${table} as b (key, tat, blocked_until, seen_ms)
    values ($1, ${NOW_MS} + $2::float8, 0, ${NOW_MS})
    on conflict (key) do update set
      tat = greatest(b.tat, excluded.seen_ms, b.blocked_until) + $2::float8, seen_ms = excluded.seen_ms
    returning tat - $2::float8 - seen_ms as wait, greatest(0, blocked_until - seen_ms) as blocked`;
  // Never moves an existing block earlier.
  const BLOCK = `insert into ${table} as b (key, tat, blocked_until, seen_ms)
    values ($1, 0, ${NOW_MS} + $2::float8, ${NOW_MS})
    on conflict (key) do update set
      blocked_until = greatest(b.blocked_until, excluded.blocked_until), seen_ms = excluded.seen_ms
    returning greatest(0, blocked_until - seen_ms) as blocked`;
  const READ_BLOCK = `select greatest(0, blocked_until - ${NOW_MS}) as blocked from ${table} where key = $1`;

  const query = async (text: string, values: unknown[]) => {
    await ready();
    return (await pool.query<{ wait?: number; blocked: number }>(text, values)).rows[0];
  };
  return storeBudget({
    async reserve() {
      const row = (await query(TAKE, [key, interval]))!;
      return { waitMs: Number(row.wait), blockedMs: Number(row.blocked) };
    },
    block: async (delayMs) =>
      Number(
        (await query(delayMs > 0 ? BLOCK : READ_BLOCK, delayMs > 0 ? [key, delayMs] : [key]))?.blocked ?? 0,
      ),
    close: () => (owned ? pool.end().catch(() => {}) : Promise.resolve()),
  });
}
