/** Injected faults: 5xx, 429, connection reset, stall, malformed and truncated JSON; rule matching. */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultSpecError } from '../../src/simulator/errors/fault-spec-error.ts';
import { type FaultRule, parseFaultSpec, type Simulator, startSimulator } from '../../src/simulator/index.ts';

let sims: Simulator[] = [];
const start = async (faults: FaultRule[], extra = {}) => {
  const s = await startSimulator({ scale: 50, rateLimit: null, faults, ...extra });
  sims.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const get = (s: Simulator, path: string, init: RequestInit = {}) =>
  fetch(s.url + path, { ...init, headers: { authorization: `Bearer ${s.keys[0]}` } });

async function outcome(s: Simulator, path: string): Promise<string> {
  try {
    const res = await get(s, path);
    const text = await res.text();
    if (res.status !== 200) return String(res.status);
    JSON.parse(text);
    return 'ok';
  } catch (err) {
    return err instanceof SyntaxError ? 'bad-json' : 'network';
  }
}

describe('fault kinds', () => {
  it.each(['500', '502', '503'] as const)('%s with the error envelope', async (kind) => {
    const s = await start([{ kind }]);
    const res = await get(s, '/api/campaigns');
    expect(res.status).toBe(Number(kind));
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe(
      { 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable' }[kind],
    );
    expect(s.requests[0]).toMatchObject({ status: Number(kind), fault: kind });
  });

  it('429 with Retry-After', async () => {
    const s = await start([{ kind: '429' }]);
    const res = await get(s, '/api/campaigns');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('reset: headers and part of the body, then the connection is reset', async () => {
    const s = await start([{ kind: 'reset', path: '/api/leads' }]);
    const res = await get(s, '/api/leads?limit=100');
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('truncated: correct Content-Length but a short body', async () => {
    const s = await start([{ kind: 'truncated' }]);
    const res = await get(s, '/api/leads?limit=100');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
    await expect(res.text()).rejects.toThrow();
  });

  it('truncated (chunked): the chunked body is cut before its last chunk', async () => {
    const s = await start(parseFaultSpec('truncated-chunked@/api/leads'));
    const res = await get(s, '/api/leads?limit=100');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    await expect(res.text()).rejects.toThrow();
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    const s = await start([{ kind: 'malformed' }]);
    const res = await get(s, '/api/leads?limit=10');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('stall: no answer before the client times out; the server stays healthy', async () => {
    const s = await start([{ kind: 'stall', stallMs: 10_000, nth: [1] }]);
    const t0 = Date.now();
    await expect(get(s, '/api/account', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await outcome(s, '/api/account')).toBe('ok');
  });

  it('a short stall answers normally afterwards', async () => {
    const s = await start([{ kind: 'stall', stallMs: 150 }]);
    const t0 = Date.now();
    expect(await outcome(s, '/api/account')).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});

describe('which requests fail', () => {
  it('nth counts matching requests (1-based); other paths are unaffected', async () => {
    const s = await start(parseFaultSpec('503@/api/leads#2,3'));
    const seen = [];
    for (let i = 0; i < 4; i++) {
      seen.push(await outcome(s, '/api/leads?limit=1'));
      seen.push(await outcome(s, '/api/lists'));
    }
    expect(seen).toEqual(['ok', 'ok', '503', 'ok', '503', 'ok', 'ok', 'ok']);
  });

  it('globs: * matches one path segment', async () => {
    const s = await start(parseFaultSpec('malformed@/api/lists/*/leads'));
    const listId = [...s.expected('lists')][0]?.record.id;
    expect(await outcome(s, `/api/lists/${listId}/leads`)).toBe('bad-json');
    expect(await outcome(s, '/api/lists')).toBe('ok');
  });

  it('probability is seeded: the same seed fails the same requests', async () => {
    const pattern = async () => {
      const s = await start(parseFaultSpec('500@/api/signals/types~0.3'), { faultSeed: 42 });
      const out = [];
      for (let i = 0; i < 60; i++) out.push(await outcome(s, '/api/signals/types'));
      return out;
    };
    const a = await pattern();
    const b = await pattern();
    expect(a).toEqual(b);
    const failures = a.filter((o) => o === '500').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('setFaults replaces the rules and restarts their counters', async () => {
    const s = await start([{ kind: '500', nth: [1] }]);
    expect(await outcome(s, '/api/account')).toBe('500');
    s.setFaults([{ kind: '502', nth: [1] }]);
    expect(await outcome(s, '/api/account')).toBe('502');
    s.setFaults([]);
    expect(await outcome(s, '/api/account')).toBe('ok');
  });
});

describe('fault spec syntax', () => {
  it('parses kinds, stall ms, paths, nth lists and probabilities', () => {
    expect(
      parseFaultSpec(
        '503@/api/leads#2,5; stall:5000@/api/signals#1 ;reset@/api/lists/*/leads~0.1;truncated-chunked',
      ),
    ).toEqual([
      { kind: '503', path: '/api/leads', nth: [2, 5] },
      { kind: 'stall', path: '/api/signals', nth: [1], stallMs: 5000 },
      { kind: 'reset', path: '/api/lists/*/leads', probability: 0.1 },
      { kind: 'truncated', truncate: 'chunked' },
    ]);
  });

  it.each(['boom@/api', '503@/api#x', '500~2', '503 /api'])('rejects %s with FaultSpecError', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
  });
});
