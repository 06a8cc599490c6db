/**
 * A targeted (webhook-triggered) signals walk never disturbs the regular incremental walk: not
 * its checkpoint, not its completion, not its high-water mark — and the regular walk's mark
 * never jumps over the rows a targeted walk wrote ahead of it (the walk-start ceiling).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import { partitionLockKey } from '../../src/jobs/partition-locks.ts';
import type { Runtime } from '../../src/jobs/runtime.ts';
import { syncPartition } from '../../src/jobs/sync-partition.ts';
import { syncWebhookEvents, WEBHOOK_RETRY_BACKOFF_MS } from '../../src/jobs/targeted-sync.ts';
import { getState, recordWebhookEvent, startRun, targetedStateKey } from '../../src/load/index.ts';
import { silentLogger } from '../../src/log.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { openSyncRuntime } from '../helpers/sync-harness.ts';

const signals = getStream('signals');
const HOUR = 3_600_000;

describe('targeted signals walks and the regular incremental walk', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let rt: Runtime;
  let seq = 0;

  // The simulator's clock at wall time: the regular walk's start and Puffle's created_at compare.
  beforeAll(async () => {
    sim = await startSimulator({ scale: 600, seed: 11, rateLimit: null, clockStart: Date.now() });
    pg = await createTestDatabase('targeted');
    rt = await openSyncRuntime(sim, { databaseUrl: pg.url });
  });
  afterAll(async () => {
    await rt?.close();
    await sim?.close();
    await pg?.drop();
  });

  const regularWalk = async (opts: { stopAfterFirstPage?: boolean } = {}) => {
    const abort = new AbortController();
    const runId = await startRun(rt.db, { trigger: 'manual', streams: ['signals'] });
    return syncPartition(
      {
        db: rt.db,
        client: rt.client,
        onProgress: () => {
          if (opts.stopAfterFirstPage) abort.abort();
        },
      },
      { runId, stream: signals, partition: '', lookbackMs: HOUR, signal: abort.signal },
    );
  };

  const webhookFor = async (record: Record<string, unknown>) => {
    seq += 1;
    await recordWebhookEvent(rt.db, {
      messageId: `msg_test_${seq}`,
      type: 'signal.detected',
      stream: 'signals',
      objectId: String(record.id),
      detectedAt: String(record.createdAt),
    });
    return syncWebhookEvents(
      { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
      { stream: 'signals', lookbackMs: HOUR },
    );
  };

  const stored = async (id: unknown) =>
    (await rt.db.query(sql`select 1 from puffle.signals where id = ${String(id)}`)).length === 1;

  it('leaves an interrupted regular walk, and the rows it missed, to the regular walk', async () => {
    // The first load starts and is interrupted after one page (a long first load, in short).
    const first = await regularWalk({ stopAfterFirstPage: true });
    expect(first.complete).toBe(false);
    const regularBefore = (await getState(rt.db, 'signals', ''))!;
    expect(regularBefore.complete).toBe(false);
    expect(regularBefore.resume).not.toBeNull();

    // S1 appears while the load is under way, its webhook lost; two hours later S2's arrives.
    const s1 = sim.mutate.insert('signals');
    sim.advanceClock(2 * HOUR);
    const s2 = sim.mutate.insert('signals');
    const requestsBefore = sim.requestCount;
    const result = await webhookFor(s2);
    expect(result).toMatchObject({ status: 'succeeded', events: 1, settled: { synced: 1 } });
    expect(await stored(s2.id)).toBe(true);
    expect(await stored(s1.id)).toBe(false); // older than S2's detected_at minus the lookback
    // One request, bounded below by S2's detected_at minus the lookback.
    const asked = sim.requests.slice(-(sim.requestCount - requestsBefore));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.query.since).toBe(new Date(Date.parse(String(s2.createdAt)) - HOUR).toISOString());

    // The regular walk's checkpoint is exactly as it was; the targeted walk has its own.
    expect(await getState(rt.db, 'signals', '')).toEqual(regularBefore);
    const targeted = (await getState(rt.db, 'signals', targetedStateKey('')))!;
    expect(targeted).toMatchObject({ complete: true, highWater: null });

    // The load resumes and completes: its mark stops at its own start, not at S2.
    expect((await regularWalk()).complete).toBe(true);
    const after = (await getState(rt.db, 'signals', ''))!;
    expect(after.walkId).toBe(regularBefore.walkId);
    expect(after.complete).toBe(true);
    expect(after.highWater).toBe(regularBefore.startedAt);
    expect(Date.parse(after.highWater!)).toBeLessThan(Date.parse(String(s2.createdAt)));

    // So the next regular sync reads from before S1, and S1 is not lost.
    expect((await regularWalk()).complete).toBe(true);
    expect(await stored(s1.id)).toBe(true);
    const count = await rt.db.query<{ n: number }>(sql`select count(*)::int as n from puffle.signals`);
    expect(count[0]!.n).toBe(sim.count('signals'));
  });

  it('never moves the stored high-water mark backwards', async () => {
    const before = (await getState(rt.db, 'signals', ''))!;
    sim.advanceClock(HOUR);
    const s3 = sim.mutate.insert('signals');
    // An event about an old signal (a late delivery): its walk reaches far back.
    const old = [...sim.expected('signals')].at(-1)!.record;
    expect((await webhookFor({ ...s3, createdAt: old.createdAt })).status).toBe('succeeded');
    expect(await stored(s3.id)).toBe(true);
    expect(await getState(rt.db, 'signals', '')).toEqual(before);
  });

  it('retries an event whose row did not appear, then gives it up; a busy stream is left alone', async () => {
    await recordWebhookEvent(rt.db, {
      messageId: 'msg_missing',
      type: 'signal.detected',
      stream: 'signals',
      objectId: 'no-such-signal',
      detectedAt: new Date(sim.now()).toISOString(),
    });
    const first = await syncWebhookEvents(
      { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
      { stream: 'signals', lookbackMs: HOUR },
    );
    expect(first).toMatchObject({ status: 'succeeded', settled: { synced: 0, retrying: 1 } });
    const [row] = await rt.db.query<{ status: string; attempts: number; wait: number }>(sql`
      select status, attempts, extract(epoch from next_attempt_at - now())::float8 as wait
      from puffle.webhook_events where message_id = 'msg_missing'`);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.wait).toBeGreaterThan(WEBHOOK_RETRY_BACKOFF_MS[0]! / 1000 - 2);
    // Not due yet: nothing to do, no request.
    const requests = sim.requestCount;
    expect(
      await syncWebhookEvents(
        { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
        { stream: 'signals', lookbackMs: HOUR },
      ),
    ).toEqual({ status: 'idle' });
    expect(sim.requestCount).toBe(requests);
    // Due at every attempt from now on: after the last one it is given up.
    for (let i = 1; i < WEBHOOK_RETRY_BACKOFF_MS.length; i += 1) {
      await rt.db.query(
        sql`update puffle.webhook_events set next_attempt_at = now() where message_id = 'msg_missing'`,
      );
      await syncWebhookEvents(
        { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
        { stream: 'signals', lookbackMs: HOUR },
      );
    }
    await rt.db.query(
      sql`update puffle.webhook_events set next_attempt_at = now() where message_id = 'msg_missing'`,
    );
    const last = await syncWebhookEvents(
      { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
      { stream: 'signals', lookbackMs: HOUR },
    );
    expect(last).toMatchObject({ settled: { gaveUp: 1 } });

    // Another process holds the stream's targeted walk: this one stands aside.
    const key = partitionLockKey(rt.db.schema, 'signals', targetedStateKey(''));
    const other = await openSyncRuntime(sim, { databaseUrl: pg.url });
    try {
      expect(await other.locks.tryLock(key)).toBe(true);
      await recordWebhookEvent(rt.db, { messageId: 'msg_busy', type: 'signal.detected', stream: 'signals' });
      expect(
        await syncWebhookEvents(
          { db: rt.db, client: rt.client, logger: silentLogger, locks: rt.locks },
          { stream: 'signals', lookbackMs: HOUR },
        ),
      ).toEqual({ status: 'busy' });
    } finally {
      await other.close();
    }
  });
});
