/**
 * The "Done means" walk-through on the embedded database: a demo-style run into PGlite (surviving
 * 429s), then the dashboard on that data directory, without Postgres or Redis: every stream with
 * its freshness, the run on the timeline, its 429s; no Bull Board link (no queue).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

describe('dashboard on the embedded database', () => {
  let sim: Simulator;
  let dir: string;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'puffle-status-embedded-'));
    sim = await startSimulator({ scale: 60, seed: 3, rateLimit: null, retryAfter: 'seconds' });
    sim.setFaults([
      { kind: '429', path: '/api/campaigns', nth: [1] },
      { kind: '429', path: '/api/leads', nth: [1] },
    ]);
    const summary = await syncOnce(sim, { dataDir: dir }, { trigger: 'demo' });
    expect(summary.status).toBe('succeeded');
    dashboard = await startDashboard({ dataDir: dir, port: 0 });
  });
  afterAll(async () => {
    await dashboard?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('/api/status: every stream fresh against 26 h, the demo run with the 429s it survived', async () => {
    const report = (await (await fetch(`${dashboard.url}/api/status`)).json()) as {
      streams: Array<{ stream: string; health: string; freshness: { targetSeconds: number } }>;
      runs: Array<{
        trigger: string;
        status: string;
        rateLimited: number;
        requestsByStatus: Record<string, number>;
      }>;
    };
    expect(report.streams.map((s) => s.stream)).toEqual(STREAM_NAMES);
    expect(report.streams.every((s) => s.health === 'fresh' && s.freshness.targetSeconds === 26 * 3600)).toBe(
      true,
    );
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toMatchObject({ trigger: 'demo', status: 'succeeded', rateLimited: 2 });
    expect(report.runs[0]!.requestsByStatus['429']).toBe(2);
  });

  it('/ shows it, with no Bull Board to link to', async () => {
    const res = await fetch(`${dashboard.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2 × 429 survived in the last run');
    expect(html).toMatch(/<g class="run" data-run-id="[^"]+" data-status="succeeded">/);
    expect(html).not.toContain('href="/queues"');
    expect((await fetch(`${dashboard.url}/queues`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);
  });
});
