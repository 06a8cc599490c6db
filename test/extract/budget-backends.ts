/**
 * The shared request budget's two homes, for tests that must hold under both: Redis (keys under a
 * prefix) and Postgres (one row per key in the coordination schema). Each gives the budget
 * options, the store's own clock, the stored TAT and everything stored, as text.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { DEFAULT_COORDINATION_SCHEMA, type RequestBudgetOptions } from '../../src/extract/index.ts';
import { createTestDatabase, testRedisUrl } from '../helpers/services.ts';

export interface BudgetStore {
  name: 'redis' | 'postgres';
  /** The connection options of a budget that owns its connection (a URL). */
  options(): Pick<RequestBudgetOptions, 'redis' | 'postgres'>;
  /** A caller-owned client for `options`, and how to check it is still usable and close it. */
  ownedClient(): Promise<{
    options: Pick<RequestBudgetOptions, 'redis' | 'postgres'>;
    alive(): Promise<boolean>;
    close(): Promise<void>;
  }>;
  /** The store's clock, epoch ms. */
  now(): Promise<number>;
  /** The TAT stored for the only key under `prefix`. */
  tat(prefix: string): Promise<number>;
  /** Every key and value stored under `prefix`, as one string. */
  dump(prefix: string): Promise<{ keys: number; text: string }>;
  close(): Promise<void>;
}

export function redisStore(): BudgetStore {
  const redis = new Redis(testRedisUrl());
  return {
    name: 'redis',
    options: () => ({ redis: testRedisUrl() }),
    async ownedClient() {
      const own = new Redis(testRedisUrl());
      return {
        options: { redis: own },
        alive: async () => (await own.ping()) === 'PONG',
        close: async () => own.disconnect(),
      };
    },
    async now() {
      const [sec, micro] = await redis.time();
      return Number(sec) * 1000 + Number(micro) / 1000;
    },
    async tat(prefix) {
      const [key] = await redis.keys(`${prefix}:budget:*:tat`);
      return Number(await redis.get(key!));
    },
    async dump(prefix) {
      const keys = await redis.keys(`${prefix}:*`);
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      return { keys: keys.length, text: `${keys.join(' ')} ${values.join(' ')}` };
    },
    close: async () => redis.disconnect(),
  };
}

export async function postgresStore(): Promise<BudgetStore> {
  const db = await createTestDatabase('budget');
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const table = `${DEFAULT_COORDINATION_SCHEMA}.request_budget`;
  const rows = async (prefix: string) =>
    (
      await pool.query<{ key: string; tat: number; blocked_until: number }>(
        `select key, tat, blocked_until from ${table} where key like $1`,
        [`${prefix}:%`],
      )
    ).rows;
  return {
    name: 'postgres',
    options: () => ({ postgres: db.url }),
    async ownedClient() {
      const own = new pg.Pool({ connectionString: db.url, max: 2 });
      return {
        options: { postgres: own },
        alive: async () => (await own.query('select 1 as ok')).rows[0]?.ok === 1,
        close: () => own.end(),
      };
    },
    async now() {
      const { rows } = await pool.query<{ ms: number }>(
        'select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms',
      );
      return rows[0]!.ms;
    },
    async tat(prefix) {
      const [row] = await rows(prefix);
      return row!.tat;
    },
    async dump(prefix) {
      const found = await rows(prefix);
      return { keys: found.length, text: JSON.stringify(found) };
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
