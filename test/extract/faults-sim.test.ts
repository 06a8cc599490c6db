/**
 * Every fault class the simulator can inject still yields the exact record set; 429s in all three
 * Retry-After forms are waited out; a key revoked mid-walk ends the walk after one request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthRejectedError,
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  type RequestBudget,
  STREAMS,
  walkStream,
} from '../../src/extract/index.ts';
import { getStream } from '../../src/extract/streams.ts';
import {
  type FaultRule,
  type RetryAfterForm,
  type Simulator,
  startSimulator,
} from '../../src/simulator/index.ts';
import { type RecordedBlock, recordingBudget } from '../helpers/recording-budget.ts';
import { expectedByIdentity, identity, partitionsOf, walkAll } from './sim-helpers.ts';

let sim: Simulator;
let budget: RequestBudget;
let client: PuffleClient;

function newClient(over: Partial<Parameters<typeof createPuffleClient>[0]> = {}): PuffleClient {
  return createPuffleClient({
    baseUrl: sim.url,
    apiKey: sim.keys[0]!,
    budget,
    retries: 8,
    retryPolicy: { baseMs: 5, maxMs: 100 },
    timeoutMs: 800,
    ...over,
  });
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, scale: 1_500, rateLimit: null });
  budget = createRequestBudget({ perMinute: 1_000_000, keyId: 'faults', safetyMargin: 0 });
});
afterEach(async () => {
  await client?.close();
  sim.setFaults([]);
  sim.setRateLimit(null);
});
afterAll(async () => {
  await budget?.close();
  await sim?.close();
});

async function expectExact(names: string[]): Promise<void> {
  for (const name of names) {
    const def = getStream(name);
    const got = new Set<string>();
    let n = 0;
    for (const partition of partitionsOf(sim, def)) {
      const { records } = await walkAll(client, def, partition);
      n += records.length;
      for (const r of records) got.add(identity(def, partition, r));
    }
    const expected = expectedByIdentity(sim, def);
    expect(got, `${name}: record set`).toEqual(new Set(expected.keys()));
    // An exploded stream yields one record per channel of each served one.
    expect(n, `${name}: no duplicates`).toBe(def.explode ? expected.size : sim.count(def.name));
  }
}

const PAGED = ['leads', 'threads', 'lead_search_results', 'signals'];

describe('transient faults', () => {
  it.each<[string, FaultRule[]]>([
    ['500', [{ kind: '500', nth: [2, 5, 6, 11] }]],
    ['502', [{ kind: '502', nth: [1, 4, 9] }]],
    ['503', [{ kind: '503', nth: [3, 7, 8] }]],
    ['connection reset', [{ kind: 'reset', nth: [2, 6, 10] }]],
    ['timeout (stalled response)', [{ kind: 'stall', nth: [3, 9], stallMs: 2_500 }]],
    ['malformed JSON on a 200', [{ kind: 'malformed', nth: [2, 8, 12] }]],
    ['truncated body (Content-Length)', [{ kind: 'truncated', truncate: 'length', nth: [1, 5, 13] }]],
    ['truncated body (chunked)', [{ kind: 'truncated', truncate: 'chunked', nth: [4, 10] }]],
  ])('%s → exact records, faults retried', async (_label, rules) => {
    client = newClient();
    sim.setFaults(rules);
    sim.resetLog();
    await expectExact(PAGED);
    const fired = sim.requests.filter((r) => r.fault).length;
    expect(fired).toBeGreaterThanOrEqual(2);
    const retries = Object.values(client.stats()).reduce((n, s) => n + s.retries, 0);
    // ≥, not =: on a loaded machine an unfaulted response can also miss the timeout.
    expect(retries).toBeGreaterThanOrEqual(fired);
  });

  it(`2 % mixed random faults over all ${STREAMS.length} streams → exact records`, async () => {
    client = newClient();
    const kinds = ['500', '502', '503', 'reset', 'malformed', 'truncated'] as const;
    sim.setFaults(kinds.map((kind) => ({ kind, probability: 0.02 / kinds.length })));
    sim.resetLog();
    await expectExact(STREAMS.map((s) => s.name));
    expect(sim.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
  });
});

describe('429 in every Retry-After form', () => {
  it.each<RetryAfterForm>(['seconds', 'http-date', 'absent'])(
    '%s: waited out, exact records, retries untouched',
    async (form) => {
      client = newClient({ retryPolicy: { baseMs: 100, maxMs: 2_000 }, retries: 0 });
      sim.setRetryAfter(form);
      sim.setRateLimit({ limit: 8, windowMs: 1_000 });
      sim.resetLog();
      await expectExact(['leads']);
      const log = sim.requests;
      const limited = log.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      const s = client.stats().leads!;
      expect(s.rateLimited429).toBe(limited.length);
      expect(s.retries).toBe(0);
      expect(s.rateLimitWaitMs).toBeGreaterThan(0);
      if (form !== 'absent') {
        // Honouring Retry-After means the request after a 429 is never throttled again.
        for (let i = 0; i < log.length - 1; i++)
          if (log[i]!.status === 429) expect(log[i + 1]!.status).toBe(200);
      }
    },
  );
});

describe('Retry-After is honoured', () => {
  it.each<[RetryAfterForm, number, number]>([
    // The simulator's injected 429 asks for 1 s: `Retry-After: 1`, or an HTTP-date two whole
    // seconds after its Date header (node caches that header per second, so it may read a second
    // older under load: 2 or 3 s then, still a whole number of seconds).
    ['seconds', 1_000, 1_000],
    ['http-date', 2_000, 3_000],
  ])('%s: the client waits exactly what it was asked, never less', async (form, least, most) => {
    const recording = recordingBudget(budget);
    client = newClient({ retries: 0, budget: recording.budget });
    sim.setRetryAfter(form);
    sim.setFaults([{ kind: '429', path: '/api/leads', nth: [2] }]);
    sim.resetLog();
    await expectExact(['leads']);
    // The decision, exact: one block of the asked length (less the ms between reading the clock).
    expect(recording.blocks).toHaveLength(1);
    const [block] = recording.blocks as [RecordedBlock];
    expect(block.asked).toBeGreaterThan(least - 10);
    expect(block.asked).toBeLessThanOrEqual(most);
    expect(Math.round(block.asked / 1000) * 1000 - block.asked).toBeLessThan(10);
    // The wait, by order and ratio: no request before the block ended, none absurdly late.
    const log = sim.requests;
    const i = log.findIndex((r) => r.status === 429);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(log[i + 1]!.at).toBeGreaterThanOrEqual(block.until - 2);
    expect(log[i + 1]!.at - (log[i]!.at + log[i]!.ms)).toBeLessThan(3 * block.asked);
  });
});

describe('key revoked mid-walk', () => {
  it('surfaces as AuthRejectedError after exactly one request, no retries', async () => {
    const key = 'pk_live_revokedMidWalk123456';
    sim.addKey(key);
    client = newClient({ apiKey: key });
    const seen: number[] = [];
    let before = 0;
    const walk = async () => {
      for await (const page of walkStream(client, getStream('leads'), {})) {
        seen.push(page.records.length);
        if (seen.length === 2) {
          sim.revokeKey(key);
          before = sim.requestCount;
        }
      }
    };
    await expect(walk()).rejects.toThrow(AuthRejectedError);
    expect(sim.requestCount - before).toBe(1);
    expect(client.stats().leads!.retries).toBe(0);
  });
});
