/** Every stream, walked page by page over HTTP, returns each expected record exactly once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_NAMES as STREAMS } from '../../src/extract/streams.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { pkOf, walkStream } from './walk.ts';

describe.each([40, 1200])('scale %i', (scale) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale, seed: 7, rateLimit: null });
  });
  afterAll(() => sim.close());

  it("serves every stream of the sync's catalog", () => {
    for (const s of STREAMS) expect(sim.partitions(s).length, s).toBeGreaterThan(0);
  });

  it.each(STREAMS)('%s: the walk returns exactly the expected records, each once', async (stream) => {
    const walked = await walkStream(sim, stream);
    const expected = [...sim.expected(stream)];
    expect(walked.length).toBe(sim.count(stream));
    expect(new Set(walked.map((e) => pkOf(stream, e))).size).toBe(walked.length);
    const key = (e: { partition: string; record: unknown }) => `${e.partition}|${JSON.stringify(e.record)}`;
    expect(walked.map(key).sort()).toEqual(expected.map(key).sort());
    if (stream !== 'campaign_messages' && stream !== 'thread_messages' && stream !== 'lead_search_results') {
      expect(walked.length).toBeGreaterThan(0);
    }
  });

  it('makes no side-effect calls during the walks', () => {
    expect(sim.sideEffectCalls).toBe(0);
  });
});
