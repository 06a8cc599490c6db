/**
 * The secret scan: every place a sync can leave text — process output and pino lines, every
 * table of the database (each row cast to text), every Redis key and value of every type — is
 * searched for the API keys it used (plain, without the `pk_live_` prefix, and base64).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { testRedisUrl } from '../helpers/services.ts';

export interface ScanTarget {
  keys: readonly string[];
  output?: readonly string[];
  databaseUrl?: string;
  /** Scan the Redis keyspace too. @default true */
  redis?: boolean;
}

export function needles(keys: readonly string[]): string[] {
  return keys.flatMap((k) => [k, k.replace(/^pk_live_/, ''), Buffer.from(k).toString('base64')]);
}

function findIn(text: string, where: string, keys: readonly string[]): string[] {
  return needles(keys)
    .filter((n) => text.includes(n))
    .map(
      (n) =>
        `secret found in ${where}: …${text.slice(Math.max(0, text.indexOf(n) - 40), text.indexOf(n)).replace(/\s+/g, ' ')}<key>`,
    );
}

export function scanOutput(output: readonly string[], keys: readonly string[]): string[] {
  return output.flatMap((chunk, i) => findIn(chunk, `process output #${i}`, keys));
}

/** Every row of every table outside the system schemas, as text. */
export async function scanDatabase(databaseUrl: string, keys: readonly string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const found: string[] = [];
    const patterns = needles(keys).map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`);
    for (const { s, t } of tables) {
      const ident = `${client.escapeIdentifier(s)}.${client.escapeIdentifier(t)}`;
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from ${ident} r where r::text like any($1::text[])`,
        [patterns],
      );
      if (rows[0]!.n > 0) found.push(`secret found in ${rows[0]!.n} row(s) of table ${s}.${t}`);
    }
    return found;
  } finally {
    await client.end();
  }
}

/** Every key and value in Redis (strings, hashes, lists, sets, sorted sets, streams). */
export async function scanRedis(keys: readonly string[], url = testRedisUrl()): Promise<string[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const found: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) {
        found.push(...findIn(key, `redis key name ${key.slice(0, 60)}`, keys));
        const text = await redisValueText(redis, key);
        if (text) found.push(...findIn(text, `redis value of ${key.slice(0, 60)}`, keys));
      }
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

async function redisValueText(redis: Redis, key: string): Promise<string> {
  try {
    switch (await redis.type(key)) {
      case 'string':
        return (await redis.get(key)) ?? '';
      case 'hash':
        return JSON.stringify(await redis.hgetall(key));
      case 'list':
        return JSON.stringify(await redis.lrange(key, 0, -1));
      case 'set':
        return JSON.stringify(await redis.smembers(key));
      case 'zset':
        return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
      case 'stream':
        return JSON.stringify(await redis.xrange(key, '-', '+'));
      default:
        return '';
    }
  } catch {
    // The key expired or changed type between SCAN and the read.
    return '';
  }
}

export async function scanForSecrets(target: ScanTarget): Promise<string[]> {
  const found = scanOutput(target.output ?? [], target.keys);
  if (target.databaseUrl) found.push(...(await scanDatabase(target.databaseUrl, target.keys)));
  if (target.redis !== false) found.push(...(await scanRedis(target.keys)));
  return found;
}
