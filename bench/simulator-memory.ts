/**
 * Serves a 1,000,000-lead account from a child process and walks `leads` (cursor, 100/page) and
 * every `list_leads` partition (cursor, 500/page) over HTTP, then reports the simulator's peak
 * RSS (VmHWM of the child) and the walk throughput: wall clock (includes this client's own
 * parsing, on the same cores), server time from the request log, and records per CPU-second the
 * simulator process used (the figure that does not depend on machine load).
 *
 *   npx tsx bench/simulator-memory.ts [--scale 1000000] [--concurrency 4]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimulator } from '../src/simulator/index.ts';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    scale: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '4' },
  },
});
const scale = Number(values.scale);

if (values.serve) {
  const sim = await startSimulator({ scale, rateLimit: null });
  process.stdout.write(`${JSON.stringify({ url: sim.url, key: sim.keys[0], admin: sim.adminToken })}\n`);
  process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', '--scale', String(scale)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const { url, key, admin } = await new Promise<{ url: string; key: string; admin: string }>((resolve) => {
    child.stdout.once('data', (d) => resolve(JSON.parse(String(d))));
  });
  const pid = child.pid as number;
  const mem = () => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  };
  /** CPU seconds the simulator process has used (utime + stime): load-independent cost. */
  const cpu = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const startMem = mem();
  const cpu0 = cpu();
  const get = async (path: string) => {
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };

  const t0 = performance.now();
  let leads = 0;
  let pages = 0;
  for (let cursor: string | null = null; ; ) {
    const body = await get(`/api/leads?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    leads += (body.leads as unknown[]).length;
    pages++;
    cursor = body.nextCursor as string | null;
    if (!cursor) break;
  }
  const leadsSec = (performance.now() - t0) / 1000;
  const afterLeads = mem();
  const cpu1 = cpu();

  const lists = ((await get('/api/lists')).lists as { id: string }[]).map((l) => l.id);
  const t1 = performance.now();
  let members = 0;
  const queue = [...lists];
  const walkList = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      for (let cursor: string | null = null; ; ) {
        const body = await get(`/api/lists/${id}/leads?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        members += (body.leads as unknown[]).length;
        cursor = body.hasMore ? (body.nextCursor as string) : null;
        if (!cursor) break;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, walkList));
  const listSec = (performance.now() - t1) / 1000;
  const end = mem();
  const cpu2 = cpu();
  // Server-side time per request (arrival → response end), from the simulator's request log.
  const log = (await (
    await fetch(`${url}/__admin/requests`, { headers: { 'x-admin-token': admin } })
  ).json()) as {
    requests: { path: string; ms: number }[];
  };
  const serverMs = (pred: (p: string) => boolean) =>
    log.requests.filter((r) => pred(r.path)).reduce((a, r) => a + r.ms, 0) / 1000;
  const leadsServerSec = serverMs((p) => p === '/api/leads');
  const listServerSec = serverMs((p) => p.startsWith('/api/lists/'));
  child.kill('SIGTERM');

  const report = {
    scale,
    leads: {
      records: leads,
      pages,
      seconds: +leadsSec.toFixed(1),
      recordsPerSec: Math.round(leads / leadsSec),
      serverRecordsPerSec: Math.round(leads / leadsServerSec),
      simulatorCpuSeconds: +(cpu1 - cpu0).toFixed(1),
      recordsPerSimulatorCpuSec: Math.round(leads / (cpu1 - cpu0)),
    },
    listLeads: {
      lists: lists.length,
      records: members,
      seconds: +listSec.toFixed(1),
      recordsPerSec: Math.round(members / listSec),
      serverRecordsPerSec: Math.round(members / listServerSec),
      simulatorCpuSeconds: +(cpu2 - cpu1).toFixed(1),
      recordsPerSimulatorCpuSec: Math.round(members / (cpu2 - cpu1)),
      concurrency: Number(values.concurrency),
    },
    simulatorRssMb: {
      atStart: +startMem.rssMb.toFixed(0),
      afterLeads: +afterLeads.rssMb.toFixed(0),
      atEnd: +end.rssMb.toFixed(0),
      peak: +end.peakMb.toFixed(0),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
