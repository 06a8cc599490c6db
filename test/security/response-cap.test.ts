/**
 * Response bodies are read up to `maxResponseBytes` (PUFFLE_MAX_RESPONSE_BYTES): a larger one —
 * announced by Content-Length or streamed chunked without one, gzip bomb included — stops being
 * read and fails with ResponseTooLargeError naming the setting, without retries. A body at the
 * limit is read whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import {
  createPuffleClient,
  createRequestBudget,
  type PuffleClient,
  ResponseTooLargeError,
} from '../../src/extract/index.ts';
import { openRuntime } from '../../src/jobs/runtime.ts';
import { silentLogger } from '../../src/log.ts';
import { type Fixture, type Reply, startFixture } from '../extract/fixture-server.ts';

const LIMIT = 64 * 1024;

/** A JSON body of exactly `bytes` bytes. */
const bodyOf = (bytes: number) => {
  const frame = '{"items":[],"pad":""}';
  return `{"items":[],"pad":"${'x'.repeat(bytes - frame.length)}"}`;
};

const withLength =
  (body: string): Reply =>
  (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  };

const chunked =
  (body: string): Reply =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    for (let i = 0; i < body.length; i += 8192) res.write(body.slice(i, i + 8192));
    res.end();
  };

const gzipped =
  (body: string): Reply =>
  (_req, res) => {
    const zipped = gzipSync(body);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(zipped.length),
    });
    res.end(zipped);
  };

describe('response body cap', () => {
  let fx: Fixture;
  let client: PuffleClient;
  beforeEach(async () => {
    fx = await startFixture();
    client = createPuffleClient({
      baseUrl: fx.url,
      apiKey: 'pk_live_capCanary_0123456789',
      budget: createRequestBudget({ perMinute: 60_000, keyId: 'cap' }),
      retries: 3,
      retryPolicy: { baseMs: 1, maxMs: 2 },
      maxResponseBytes: LIMIT,
    });
  });
  afterEach(async () => {
    await client.close();
    await fx.close();
  });

  it.each([
    ['Content-Length over the limit', withLength(bodyOf(LIMIT + 1))],
    ['chunked, no Content-Length', chunked(bodyOf(LIMIT * 4))],
    ['gzip: small on the wire, large unpacked', gzipped(bodyOf(LIMIT * 50))],
  ])('%s → ResponseTooLargeError, not retried', async (_what, reply) => {
    fx.script(reply, reply, reply, reply);
    const err = await client.get('/api/leads', { limit: 200 }, { stream: 'leads' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toMatch(
      /^GET \/api\/leads\?limit=200: response body is larger than 65536 bytes \(PUFFLE_MAX_RESPONSE_BYTES\)/,
    );
    expect(fx.seen).toHaveLength(1);
    expect(client.stats().leads?.byStatus).toEqual({ 200: 1 });
  });

  it.each([
    ['exactly at the limit', withLength(bodyOf(LIMIT))],
    ['at the limit, chunked', chunked(bodyOf(LIMIT))],
  ])('%s is read whole', async (_what, reply) => {
    fx.script(reply);
    const page = (await client.get('/api/leads', undefined, { stream: 'leads' })) as { pad: string };
    expect(page.pad.length).toBe(LIMIT - '{"items":[],"pad":""}'.length);
  });
});

describe('PUFFLE_MAX_RESPONSE_BYTES', () => {
  it('reaches the client a sync uses', { timeout: 60_000 }, async () => {
    const fx = await startFixture();
    const dir = mkdtempSync(join(tmpdir(), 'puffle-cap-'));
    const config = loadConfig({
      PUFFLE_API_KEY: 'pk_live_capCanary_0123456789',
      PUFFLE_API_BASE_URL: fx.url,
      PUFFLE_SYNC_DATA_DIR: dir,
      PUFFLE_MAX_RESPONSE_BYTES: '1048576',
    });
    const runtime = await openRuntime(config, silentLogger, { apiKey: config.apiKey! });
    try {
      fx.script(withLength(bodyOf(1_048_577)));
      await expect(runtime.client.get('/api/leads', undefined, { stream: 'leads' })).rejects.toThrow(
        /larger than 1048576 bytes \(PUFFLE_MAX_RESPONSE_BYTES\)/,
      );
      fx.script(withLength(bodyOf(1_048_576)));
      await expect(runtime.client.get('/api/leads', undefined, { stream: 'leads' })).resolves.toBeTruthy();
    } finally {
      await runtime.close();
      await fx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
