/**
 * 5. Incremental: full sync of signals + threads + thread_messages, then 1 % churn (new signals
 * = 1 % of signals, new messages = 1 % of messages, on random threads), then a normal re-sync.
 * Figure: re-sync requests for signals + thread_messages ÷ the full sync's requests for them.
 */
import type { StreamName } from '../../src/extract/streams.ts';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../../test/helpers/services.ts';
import { syncOnce } from '../../test/helpers/sync-harness.ts';
import type { BenchContext } from '../lib/context.ts';
import type { Figure } from '../lib/figure.ts';
import { median, round } from '../lib/stats.ts';

const STREAMS: StreamName[] = ['threads', 'thread_messages', 'signals'];
const MEASURED: StreamName[] = ['signals', 'thread_messages'];

const requestsOf = (s: SyncSummary) =>
  s.streams.filter((x) => MEASURED.includes(x.stream)).reduce((n, x) => n + x.requests, 0);

export async function incrementalBenchmark(ctx: BenchContext): Promise<Figure[]> {
  const ratios: number[] = [];
  const details: string[] = [];
  for (let i = 0; i < ctx.reps; i++) {
    const sim = await startSimulator({ seed: ctx.seed + i, scale: ctx.incrementalScale, rateLimit: null });
    const db = await createTestDatabase('bench_incr');
    try {
      const opts = { streams: STREAMS, concurrency: ctx.concurrency, perMinute: 1e9 };
      const full = await syncOnce(sim, { databaseUrl: db.url }, opts);
      const threads = sim.partitions('thread_messages');
      const newSignals = Math.ceil(sim.count('signals') / 100);
      const newMessages = Math.ceil(sim.count('thread_messages') / 100);
      for (let k = 0; k < newSignals; k++) sim.mutate.insert('signals');
      for (let k = 0; k < newMessages; k++)
        sim.mutate.insert('thread_messages', threads[(k * 7919 + i) % threads.length]!);
      const again = await syncOnce(sim, { databaseUrl: db.url }, opts);
      const ratio = requestsOf(again) / requestsOf(full);
      ratios.push(ratio);
      const readAgain = again.streams
        .filter((x) => MEASURED.includes(x.stream))
        .reduce((n, x) => n + x.counts.inserted, 0);
      details.push(
        `rep ${i + 1}: full ${requestsOf(full)} requests (${full.status}), re-sync ${requestsOf(again)} (${again.status}, ${readAgain} new rows of ${newSignals + newMessages} added) → ${round(ratio, 3)}`,
      );
      ctx.log(`  incremental ${details.at(-1)}`);
    } finally {
      await sim.close();
      await db.drop();
    }
  }
  return [
    {
      id: '5',
      name: 'incremental: re-sync ÷ full requests (signals + thread_messages), 1 % churn',
      value: round(median(ratios), 3),
      goal: { op: '<=', target: 0.1 },
      detail: `scale ${ctx.incrementalScale}; ${details.join('; ')}`,
    },
  ];
}
