/**
 * Inline runner edge cases. Regression: an inline `sync` and a queue worker on one database must never walk the same
 * partition at once (interleaved delete sweeps soft-delete live rows). The inline runner takes the
 * same per-partition advisory lock as the worker and leaves a busy partition to its holder.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionLockKey } from '../../src/jobs/partition-locks.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

describe('inline sync and partition locks', () => {
  let sim: Simulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 150, seed: 9, rateLimit: null });
    db = await createTestDatabase('inline_locks');
  });
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
  });

  it('leaves a partition walked elsewhere to its walker, then syncs it once the lock is free', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const key = partitionLockKey('puffle', 'leads', '');
    try {
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
      const busy = await syncOnce(sim, { databaseUrl: db.url }, { streams: ['leads', 'lists'] });
      const leads = busy.streams.find((s) => s.stream === 'leads')!;
      expect(leads.error?.name).toBe('PartitionBusyError');
      expect(leads.counts.read).toBe(0);
      expect(busy.streams.find((s) => s.stream === 'lists')!.status).toBe('succeeded');
      expect(busy.status).toBe('partial');
      await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);

      const free = await syncOnce(sim, { databaseUrl: db.url }, { streams: ['leads', 'lists'] });
      expect(free.status).toBe('succeeded');
      expect(free.streams.find((s) => s.stream === 'leads')!.counts.inserted).toBe(sim.count('leads'));
    } finally {
      await holder.end();
    }
  });
});

describe('inline sync interrupted', () => {
  it('reports an interrupted walk as not succeeded, and the next run finishes it exactly', async () => {
    const sim = await startSimulator({ scale: 3000, seed: 4, rateLimit: null, latencyMs: 5 });
    const db = await createTestDatabase('inline_interrupt');
    try {
      const abort = new AbortController();
      const timer = setInterval(() => {
        if (sim.requestCount >= 5) abort.abort(new Error('SIGINT'));
      }, 2);
      const stopped = await syncOnce(
        sim,
        { databaseUrl: db.url },
        { streams: ['leads'], signal: abort.signal },
      );
      clearInterval(timer);
      const leads = stopped.streams[0]!;
      expect(leads.error?.name).toBe('SyncInterruptedError');
      expect(stopped.status).not.toBe('succeeded');
      expect(leads.counts.read).toBeGreaterThan(0);
      expect(leads.counts.read).toBeLessThan(sim.count('leads'));

      const rest = await syncOnce(sim, { databaseUrl: db.url }, { streams: ['leads'] });
      expect(rest.status).toBe('succeeded');
      expect(leads.counts.inserted + rest.streams[0]!.counts.inserted).toBe(sim.count('leads'));
    } finally {
      await sim.close();
      await db.drop();
    }
  });
});

describe('configured enrichment runs', () => {
  it('stop being walked once finished, even though PUFFLE_ENRICHMENT_RUN_IDS still names them', async () => {
    const sim = await startSimulator({ scale: 300, seed: 8, rateLimit: null });
    const db = await createTestDatabase('inline_enrichment');
    try {
      const streams = ['enrichment_runs', 'enrichment_items'] as const;
      const first = await syncOnce(sim, { databaseUrl: db.url }, { streams });
      expect(first.status).toBe('succeeded');
      expect(first.streams[0]!.partitions).toBe(sim.enrichmentRunIds.length);
      const unfinished = [...sim.expected('enrichment_runs')].filter(
        ({ record }) => !['completed', 'failed', 'cancelled'].includes(String(record.status)),
      ).length;
      expect(unfinished).toBeLessThan(sim.enrichmentRunIds.length);

      const second = await syncOnce(sim, { databaseUrl: db.url }, { streams });
      expect(second.status).toBe('succeeded');
      expect(second.streams[0]!.partitions).toBe(unfinished);
    } finally {
      await sim.close();
      await db.drop();
    }
  });
});
