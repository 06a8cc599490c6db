/**
 * The queue on the warehouse's Postgres, for deployments without Redis: BullMQ 6's Postgres
 * backend (jobs in `<prefix>_bullmq`, claimed with `FOR UPDATE SKIP LOCKED`, workers woken by
 * LISTEN/NOTIFY; flows, job schedulers and rate limiting included). BullMQ migrates its schema
 * on first connect, under its own advisory lock. Our run flags live in `<prefix>_coordination`.
 */
import { createPostgresBackend, Queue, Worker } from 'bullmq';
import pg from 'pg';
import type { SyncQueue } from './queue.ts';
import { queueSchemas } from './queue-schemas.ts';
import { postgresRunFlags } from './run-abort.ts';
import { QUEUE_NAME } from './types.ts';

export function openPostgresQueue(databaseUrl: string, prefix: string): SyncQueue {
  const schemas = queueSchemas(prefix);
  const connection = (applicationName: string) => ({
    connectionString: databaseUrl,
    schema: schemas.bullmq,
    migrate: true,
    max: 4,
    application_name: applicationName,
  });
  // The classes are typed by their backend; everything here uses them through the shared
  // (Redis-typed) interface, which the Postgres backend implements in full.
  const queue = new Queue(
    QUEUE_NAME,
    { connection: connection('puffle-sync-queue') },
    createPostgresBackend,
  ) as unknown as Queue;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'puffle-sync-coordination',
  });
  pool.on('error', () => {}); // an idle client's error; the next query reports it
  let answered = false;
  const workers: Worker[] = [];
  let closing: Promise<void> | undefined;
  return {
    backend: 'postgres',
    queue,
    prefix,
    runFlags: postgresRunFlags(pool, schemas.coordination, prefix),
    createWorker(processor, settings) {
      const worker = new Worker(
        QUEUE_NAME,
        processor,
        { ...settings, connection: connection('puffle-sync-worker') },
        createPostgresBackend,
      ) as unknown as Worker;
      workers.push(worker);
      return worker;
    },
    async ping() {
      await pool.query('select 1');
      answered = true;
    },
    connected: () => answered,
    close: () =>
      (closing ??= (async () => {
        await queue.close().catch(() => {});
        await pool.end().catch(() => {});
      })()),
  };
}
