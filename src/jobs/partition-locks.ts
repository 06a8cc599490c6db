/**
 * Fencing for partition walks: a Postgres advisory lock per (schema, stream, partition state key),
 * held while a job walks it. BullMQ alone is at-least-once: a worker whose job lock lapsed (a long
 * GC pause, a saturated event loop) can keep walking while another worker retakes the job, and
 * two walks of one partition interleaving their delete sweeps could soft-delete live rows. With
 * this lock the second walker waits instead; a dead worker's locks vanish with its connection.
 *
 * One connection per worker process holds all its locks (session-level locks, so they also
 * outlive every transaction); Postgres session locks are re-entrant, so keys held by this
 * process are also tracked here to refuse a second job of this process on the same partition.
 * PGlite is single-process (its directory lock), so there every lock is granted.
 */
import pg from 'pg';
import type { Logger } from '../log.ts';

export interface PartitionLocks {
  /** True when this process now holds `key`; false when anyone (this process included) already does. */
  tryLock(key: string): Promise<boolean>;
  unlock(key: string): Promise<void>;
  /** Releases every lock (ends the session). Idempotent. */
  close(): Promise<void>;
}

export function partitionLockKey(schema: string, stream: string, stateKey: string): string {
  return `puffle-sync:walk:${schema}:${stream}:${stateKey}`;
}

export function openPartitionLocks(databaseUrl: string | undefined, logger: Logger): PartitionLocks {
  const held = new Set<string>();
  if (!databaseUrl) {
    return {
      tryLock: async (key) => {
        if (held.has(key)) return false;
        held.add(key);
        return true;
      },
      unlock: async (key) => void held.delete(key),
      close: async () => held.clear(),
    };
  }
  let client: Promise<pg.Client> | undefined;
  let closing: Promise<void> | undefined;
  // One session serves every walk of this process: its statements go one at a time (node-postgres
  // deprecates overlapping query() calls on one client).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };
  const connect = () =>
    (client ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl, application_name: 'puffle-sync-locks' });
      c.on('error', (err) => {
        // The session is gone and with it every lock: walks in flight lose their fence.
        logger.warn({ err }, 'lost the connection holding partition locks');
        held.clear();
        client = undefined;
      });
      await c.connect();
      return c;
    })().catch((err) => {
      client = undefined;
      throw err;
    }));
  return {
    async tryLock(key) {
      if (held.has(key)) return false;
      held.add(key);
      try {
        const c = await connect();
        const { rows } = await serial(() =>
          c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [key]),
        );
        if (rows[0]?.ok) return true;
      } catch (err) {
        held.delete(key);
        throw err;
      }
      held.delete(key);
      return false;
    },
    async unlock(key) {
      if (!held.delete(key) || !client) return;
      const c = await client;
      await serial(() => c.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key])).catch(
        () => {},
      );
    },
    close: () =>
      (closing ??= (async () => {
        held.clear();
        const c = await client?.catch(() => undefined);
        await c?.end().catch(() => {});
      })()),
  };
}
