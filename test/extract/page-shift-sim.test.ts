/**
 * Page-shift: rows inserted and deleted at the head of a page-paginated collection while it is
 * walked. Every row that existed throughout the walk must be returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  type RequestBudget,
  walkStream,
} from '../../src/extract/index.ts';
import { getStream, type StreamName } from '../../src/extract/streams.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';

let sim: Simulator;
let budget: RequestBudget;
let client: PuffleClient;

beforeAll(async () => {
  sim = await startSimulator({ seed: 9, scale: 3_000, rateLimit: null });
  budget = createRequestBudget({ perMinute: 1_000_000, keyId: 'shift', safetyMargin: 0 });
  client = createPuffleClient({ baseUrl: sim.url, apiKey: sim.keys[0]!, budget });
});
afterAll(async () => {
  await client?.close();
  await budget?.close();
  await sim?.close();
});

function servedIds(stream: StreamName, partition: string): string[] {
  const out: string[] = [];
  for (const e of sim.expected(stream)) if (e.partition === partition) out.push(String(e.record.id));
  return out;
}

async function walkWithChurn(
  stream: StreamName,
  partition: string,
  churn: (pageNo: number, partition: string) => void,
  maxPasses?: number,
): Promise<{ seen: Set<string>; passes: number }> {
  const seen = new Set<string>();
  let pageNo = 0;
  let passes = 1;
  for await (const page of walkStream(client, getStream(stream), {
    partition: partition || undefined,
    maxPasses,
  })) {
    for (const r of page.records) seen.add(String(r.id));
    if (page.resume && 'pass' in page.resume && page.resume.pass) passes = Math.max(passes, page.resume.pass);
    churn(++pageNo, partition);
  }
  return { seen, passes };
}

describe.each<[StreamName, string]>([
  ['threads', 'page'],
  ['lead_search_results', 'offset'],
])('%s (%s pagination) under head churn', (stream) => {
  async function churnWalk(maxPasses?: number) {
    const def = getStream(stream);
    const partition = def.parent
      ? sim.partitions(stream).sort((a, b) => servedIds(stream, b).length - servedIds(stream, a).length)[0]!
      : '';
    const original = servedIds(stream, partition);
    const limit = def.paginator.kind === 'page' || def.paginator.kind === 'offset' ? def.paginator.limit : 0;
    expect(original.length).toBeGreaterThan(2 * limit);
    const removed = new Set<string>();
    const result = await walkWithChurn(
      stream,
      partition,
      (pageNo) => {
        if (pageNo > 2) return;
        // Delete the first three rows in served order and insert two new ones.
        for (const id of servedIds(stream, partition).slice(0, 3)) {
          sim.mutate.remove(stream, id, partition || undefined);
          removed.add(id);
        }
        sim.mutate.insert(stream, partition || undefined);
        sim.mutate.insert(stream, partition || undefined);
      },
      maxPasses,
    );
    const missing = original.filter((id) => !removed.has(id) && !result.seen.has(id));
    return { missing, passes: result.passes };
  }

  it('returns every row that existed throughout the walk', async () => {
    const { missing, passes } = await churnWalk();
    expect(missing).toEqual([]);
    expect(passes).toBeGreaterThan(1);
  });

  it('control: without the correction pass the same churn skips rows', async () => {
    const { missing } = await churnWalk(1);
    expect(missing.length).toBeGreaterThan(0);
  });
});
