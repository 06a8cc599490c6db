/** The poison faults: one value Postgres refuses, in the first record of a 200; the data itself stays clean. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const start = async (spec: string) => {
  const s = await startSimulator({ scale: 50, rateLimit: null, faults: parseFaultSpec(spec) });
  sims.push(s);
  return s;
};
const get = async (s: Simulator, path: string) => {
  const res = await fetch(s.url + path, { headers: { authorization: `Bearer ${s.keys[0]}` } });
  expect(res.status).toBe(200);
  return { text: await res.text() };
};
const first = (text: string, key: string) =>
  (JSON.parse(text) as Record<string, Record<string, unknown>[]>)[key]![0]!;

describe('poison faults', () => {
  it.each([
    ['poison-surrogate', '/api/threads', 'threads', 'last_message_snippet', /\\ud83d"$/],
    ['poison-nul', '/api/campaigns', 'campaigns', 'name', /\\u0000"$/],
    ['poison-offset', '/api/threads', 'threads', 'last_message_at', /^"2024-05-01T10:00:00\+99:00"$/],
    ['poison-zero-date', '/api/campaigns', 'campaigns', 'created_at', /^"0000-00-00 00:00:00"$/],
  ])('%s poisons %s %s.%s of the first record only', async (kind, path, key, field, poisoned) => {
    const s = await start(`${kind}@${path}#1`);
    const bad = first((await get(s, path)).text, key);
    const clean = first((await get(s, path)).text, key);
    expect(bad.id).toBe(clean.id);
    // As JSON text, so a NUL is matched as its escape.
    expect(JSON.stringify(bad[field])).toMatch(poisoned);
    expect(JSON.stringify(clean[field])).not.toMatch(poisoned);
    expect(s.requests[0]?.fault).toBe(kind);
  });

  it('poison-overflow: a daily_limit beyond 32 bits', async () => {
    const s = await start('poison-overflow@/api/campaigns');
    const body = JSON.parse((await get(s, '/api/campaigns')).text) as {
      campaigns: { daily_limit: number }[];
    };
    expect(body.campaigns[0]?.daily_limit).toBe(99_999_999_999);
    expect(body.campaigns[1]?.daily_limit).toBeLessThan(2 ** 31);
  });

  it('sends lone surrogates and NUL as JSON escapes a client parses back', async () => {
    const s = await start('poison-surrogate@/api/threads;poison-nul@/api/campaigns');
    expect((await get(s, '/api/threads')).text).toContain('\\ud83d"');
    expect((await get(s, '/api/campaigns')).text).toContain('\\u0000"');
  });
});
