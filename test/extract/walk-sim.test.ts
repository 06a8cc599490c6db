/**
 * Every stream of the catalog walked against the simulator over real HTTP, at two scales, with
 * exact record sets; plus resume after page k.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyId,
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  type RequestBudget,
  STREAMS,
} from '../../src/extract/index.ts';
import { getStream } from '../../src/extract/streams.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { expectedByIdentity, identity, partitionsOf, walkAll, walkPrefix } from './sim-helpers.ts';

describe.each([
  { scale: 120, label: 'small' },
  { scale: 2_500, label: 'larger' },
])(`all ${STREAMS.length} streams at scale $scale ($label)`, ({ scale }) => {
  let sim: Simulator;
  let client: PuffleClient;
  let budget: RequestBudget;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, scale, rateLimit: null });
    const apiKey = sim.keys[0]!;
    budget = createRequestBudget({ perMinute: 1_000_000, keyId: apiKeyId(apiKey), safetyMargin: 0 });
    client = createPuffleClient({ baseUrl: sim.url, apiKey, budget });
  });
  afterAll(async () => {
    await client?.close();
    await budget?.close();
    await sim?.close();
  });

  it('the catalog names each stream once', () => {
    expect(new Set(STREAMS.map((s) => s.name)).size).toBe(STREAMS.length);
  });

  it.each(STREAMS.map((s) => [s.name]))('%s walks to completion with the exact record set', async (name) => {
    const def = getStream(name);
    const expected = expectedByIdentity(sim, def);
    const got = new Map<string, Record<string, unknown>>();
    let walked = 0;
    for (const partition of partitionsOf(sim, def)) {
      const { records, pages } = await walkAll(client, def, partition);
      expect(pages.at(-1)!.resume).toBeNull();
      walked += records.length;
      for (const r of records) got.set(identity(def, partition, r), r);
    }
    // An exploded stream yields one record per channel of each served one.
    expect(walked).toBe(def.explode ? expected.size : sim.count(name));
    expect(got.size).toBe(expected.size);
    for (const [id, record] of expected) {
      expect(got.has(id), `${name}: missing ${id}`).toBe(true);
      expect(got.get(id)).toMatchObject(record);
    }
    expect(sim.sideEffectCalls).toBe(0);
  });
});

describe('incremental: signals since', () => {
  it('sends since and gets exactly the newer signals', async () => {
    const sim = await startSimulator({ seed: 4, scale: 600, rateLimit: null });
    const budget = createRequestBudget({ perMinute: 1_000_000, keyId: 'since', safetyMargin: 0 });
    const client = createPuffleClient({ baseUrl: sim.url, apiKey: sim.keys[0]!, budget });
    try {
      const created = [...sim.expected('signals')].map((e) => Date.parse(String(e.record.createdAt)));
      const since = new Date([...created].sort((x, y) => y - x)[120]!).toISOString();
      const { records } = await walkAll(client, getStream('signals'), '', { since });
      expect(records.length).toBe(created.filter((t) => t >= Date.parse(since)).length);
      expect(records.length).toBeGreaterThan(100);
      expect(records.length).toBeLessThan(created.length);
      expect(sim.requests.every((r) => r.path !== '/api/signals' || r.query.since === since)).toBe(true);
    } finally {
      await client.close();
      await budget.close();
      await sim.close();
    }
  });
});

describe('resume after page k', () => {
  let sim: Simulator;
  let client: PuffleClient;
  let budget: RequestBudget;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, scale: 2_000, rateLimit: null });
    budget = createRequestBudget({ perMinute: 1_000_000, keyId: 'resume', safetyMargin: 0 });
    client = createPuffleClient({ baseUrl: sim.url, apiKey: sim.keys[0]!, budget });
  });
  afterAll(async () => {
    await client?.close();
    await budget?.close();
    await sim?.close();
  });

  it.each([
    ['leads', 2],
    ['signals', 3],
    ['threads', 1],
    ['lead_search_results', 1],
    ['enrichment_items', 1],
  ])('%s: stop after page %i, resume from its token, the union is exact', async (name, k) => {
    const def = getStream(name);
    const partition = biggestPartition(sim, def.name);
    const head = await walkPrefix(client, def, partition, k);
    expect(head.resume, 'the partition must have more than k pages').not.toBeNull();
    const tail = await walkAll(client, def, partition, { resume: head.resume });
    const ids = [...head.records, ...tail.records].map((r) => identity(def, partition, r));
    const expected = [...expectedByIdentity(sim, def).keys()].filter((id) => id.startsWith(`${partition}|`));
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(ids.length).toBe(expected.length);
  });
});

/** The partition with the most records (the one with the most pages). */
function biggestPartition(sim: Simulator, stream: Parameters<Simulator['count']>[0]): string {
  const counts = new Map<string, number>();
  for (const e of sim.expected(stream)) counts.set(e.partition, (counts.get(e.partition) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}
