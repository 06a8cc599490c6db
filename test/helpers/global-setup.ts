/**
 * Runs once before the suite: makes sure Postgres and Redis are reachable, starting them with
 * testcontainers when nothing listens and a Docker engine is available.
 */
import net from 'node:net';
import { adminDatabaseUrl, testRedisUrl } from './services.ts';

function reachable(urlText: string, defaultPort: number): Promise<boolean> {
  const url = new URL(urlText);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<unknown>> = [];
  const pgUp = await reachable(adminDatabaseUrl(), 5432);
  const redisUp = await reachable(testRedisUrl(), 6379);
  if ((!pgUp || !redisUp) && (await dockerAvailable())) {
    if (!pgUp) {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:15.20').start();
      process.env.TEST_DATABASE_URL = c.getConnectionUri();
      stops.push(() => c.stop());
    }
    if (!redisUp) {
      const { RedisContainer } = await import('@testcontainers/redis');
      const c = await new RedisContainer('redis:7.4.6').start();
      process.env.TEST_REDIS_URL = c.getConnectionUrl();
      stops.push(() => c.stop());
    }
  } else if (!pgUp || !redisUp) {
    const missing = [!pgUp && `PostgreSQL at ${adminDatabaseUrl()}`, !redisUp && `Redis at ${testRedisUrl()}`]
      .filter(Boolean)
      .join(' and ');
    throw new Error(
      `integration tests need ${missing}: start them (see .ci/run), set DATABASE_URL/REDIS_URL, or make a Docker engine available for testcontainers`,
    );
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
