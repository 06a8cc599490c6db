/**
 * Raw fetch: the same pages a sync walks (every stream, every partition the simulator has),
 * fetched through the same client and paginators at the same partition concurrency, and thrown
 * away. What is left of a sync once loading costs nothing.
 */
import pLimit from 'p-limit';
import { createMemoryBudget } from '../../src/extract/budget/memory-budget.ts';
import { createPuffleClient } from '../../src/extract/client.ts';
import { DEFAULT_STREAMS, streamsInDependencyOrder } from '../../src/extract/streams.ts';
import { walkStream } from '../../src/extract/walk-stream.ts';
import type { SimProcess } from './sim-process.ts';

export async function rawFetch(
  sim: Pick<SimProcess, 'url' | 'key' | 'partitions'>,
  concurrency: number,
): Promise<{ ms: number; records: number; pages: number }> {
  const client = createPuffleClient({
    baseUrl: sim.url,
    apiKey: sim.key,
    budget: createMemoryBudget(1e9),
    timeoutMs: 30_000,
  });
  const limit = pLimit(concurrency);
  let records = 0;
  let pages = 0;
  const t0 = performance.now();
  try {
    const jobs = streamsInDependencyOrder(DEFAULT_STREAMS).flatMap((def) =>
      sim.partitions[def.name].map((partition) =>
        limit(async () => {
          for await (const page of walkStream(client, def, { partition: partition || undefined })) {
            records += page.records.length;
            pages += 1;
          }
        }),
      ),
    );
    await Promise.all(jobs);
    return { ms: performance.now() - t0, records, pages };
  } finally {
    await client.close();
  }
}
