/**
 * Which queue backend a configuration means, resolved once (loadConfig) with the one-line errors
 * for contradictions. Without `PUFFLE_QUEUE_BACKEND`: `redis` whenever REDIS_URL is set, else
 * none (inline syncs only, as before the setting existed). `postgres` is only ever chosen
 * explicitly: the queue then lives in the warehouse's Postgres, so it needs DATABASE_URL.
 */
import { ConfigError } from './config-error.ts';
import type { Config, QueueBackendName } from './variables.ts';

type QueueSettings = Pick<Config, 'redisUrl' | 'databaseUrl'> & { queueBackend?: QueueBackendName };

export function resolveQueueBackend(config: QueueSettings): QueueBackendName | undefined {
  const chosen = config.queueBackend ?? (config.redisUrl ? 'redis' : undefined);
  if (chosen === 'postgres' && !config.databaseUrl)
    throw new ConfigError(
      'PUFFLE_QUEUE_BACKEND=postgres needs DATABASE_URL: the queue lives in the warehouse Postgres (the embedded database serves one process)',
    );
  if (chosen === 'redis' && !config.redisUrl)
    throw new ConfigError('PUFFLE_QUEUE_BACKEND=redis needs REDIS_URL');
  return chosen;
}

/** The message of every queue command run without a backend. */
export const NO_QUEUE_BACKEND =
  'no queue backend: set REDIS_URL, or PUFFLE_QUEUE_BACKEND=postgres with DATABASE_URL (or run `puffle-sync sync` inline)';
