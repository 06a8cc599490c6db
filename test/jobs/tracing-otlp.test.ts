/**
 * Tracing through the SDK's own environment variables, across processes: `puffle-sync sync
 * --queue --wait` and a `puffle-sync worker`, both with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an
 * OTLP/HTTP receiver here, export one trace — the enqueue span from the CLI, the job, request and
 * commit spans from the worker — under the service names OTEL_SERVICE_NAME gave them, and the key
 * is nowhere in what was sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/load/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { createTestDatabase, uniquePrefix } from '../helpers/services.ts';
import { type QueueTarget, queueEnv, waitFor } from './queue-helpers.ts';

const KEY = 'pk_live_otlpExportKey01234567';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
interface Exported extends OtlpSpan {
  service: string;
}

describe('OTLP export from the CLI and a worker', () => {
  let sim: Simulator;
  let pg: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: Server;
  let endpoint: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ scale: 30, seed: 4, keys: [KEY], rateLimit: null });
    pg = await createTestDatabase('otlp');
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: '', schema: 'puffle' });
    await migrate(db);
    await db.close();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces') bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await pg?.drop();
    await sim?.close();
  });

  const spans = (): Exported[] =>
    bodies.flatMap((b) => {
      const doc = JSON.parse(b) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      };
      return doc.resourceSpans.flatMap((rs) => {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        return rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, service })));
      });
    });

  it('one trace from `sync --queue --wait` through the worker down to requests and commits', async () => {
    const target: QueueTarget = { sim, databaseUrl: pg.url, prefix: uniquePrefix('otlp'), key: KEY };
    const env = { ...queueEnv(target), OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };
    const worker = startCli(['worker', '--concurrency', '2'], {
      ...env,
      OTEL_SERVICE_NAME: 'sync-worker',
      LOG_LEVEL: 'info',
    });
    try {
      let log = '';
      worker.child.stderr!.on('data', (d) => (log += d));
      await waitFor(() => log.includes('"worker started"'), 30_000, 'the worker to start');
      const sync = await runCli(['sync', '--queue', '--wait', '--streams', 'account,campaigns'], {
        ...env,
        OTEL_SERVICE_NAME: 'sync-cli',
      });
      expect(sync.code, sync.stderr).toBe(0);
    } finally {
      worker.child.kill('SIGTERM');
    }
    const stopped = await worker.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    await waitFor(() => spans().some((s) => s.service === 'sync-worker'), 10_000, 'the worker to export');

    const all = spans();
    const [enqueue] = all.filter((s) => s.name === 'puffle.run.enqueue');
    expect(enqueue?.service).toBe('sync-cli');
    const inTrace = all.filter((s) => s.traceId === enqueue!.traceId);
    const names = (service: string) =>
      new Set(inTrace.filter((s) => s.service === service).map((s) => s.name));
    expect(names('sync-worker')).toEqual(
      new Set(['puffle.job.run', 'puffle.job.stream', 'puffle.job.partition', 'GET', 'puffle.page.commit']),
    );
    const runSpans = inTrace.filter((s) => s.name === 'puffle.job.run');
    for (const r of runSpans) expect(r.parentSpanId).toBe(enqueue!.spanId);
    expect(inTrace.filter((s) => s.name === 'GET').length).toBe(sim.requests.length);
    for (const b of bodies) {
      expect(b).not.toContain(KEY);
      expect(b).not.toContain('pk_live_');
    }
  });
});
