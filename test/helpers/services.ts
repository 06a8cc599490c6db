/**
 * Where integration tests find Postgres and Redis: `DATABASE_URL` / `REDIS_URL` when set, else
 * the local services on 127.0.0.1, else containers started by global-setup when a Docker engine
 * is reachable (it exports the URLs into the environment), else a one-line failure that says
 * what to start.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? LOCAL_DATABASE_URL;
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? LOCAL_REDIS_URL;
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(
  label = 'test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = adminDatabaseUrl();
  const name = `ps_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A Redis key prefix unique to one test, so parallel test files never share queues or budgets. */
export function uniquePrefix(label = 't'): string {
  return `pstest:${label}:${randomBytes(4).toString('hex')}`;
}
