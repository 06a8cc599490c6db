/**
 * The status page (`/`) and /api/status over a real sync into real Postgres: a first run that
 * survives a 429, a second in which `signal_types` fails (Puffle answers 403 with an HTML page echoing
 * the key). What a person sees in headless Chromium; /api/status and `status --json` agreeing;
 * the freshness gauge; the Host check and the token on both routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { type Browser, hasChromium, launchBrowser } from '../helpers/chromium.ts';
import { runCli } from '../helpers/cli.ts';
import { send } from '../helpers/raw-http.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const TOKEN = 'status-page-test-token';
/** The browser's window, as far as this test needs it (the project compiles without the DOM lib). */
type ComputedStyleOf = { getComputedStyle(e: unknown): { backgroundColor: string } };
const bearer = { authorization: `Bearer ${TOKEN}` };
type Report = {
  generatedAt: string;
  streams: Array<Record<string, unknown> & { stream: string; health: string }>;
  runs: Array<Record<string, unknown> & { status: string; rateLimited: number }>;
};

describe('status page', () => {
  let sim: Simulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dashboard: Dashboard;
  let keyBody: string;
  const chromium = hasChromium('status page browser test');
  let browser: Browser | undefined;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 120, seed: 21, rateLimit: null, retryAfter: 'seconds' });
    keyBody = sim.keys[0]!.slice('pk_live_'.length);
    db = await createTestDatabase('wt21_status');
    sim.setFaults([{ kind: '429', path: '/api/leads', nth: [1] }]);
    expect((await syncOnce(sim, { databaseUrl: db.url })).status).toBe('succeeded');
    sim.setFaults([{ kind: 'echo', status: 403, path: '/api/signals/types' }]);
    const second = await syncOnce(sim, { databaseUrl: db.url });
    expect(second.status).not.toBe('succeeded');
    sim.setFaults([]);
    dashboard = await startDashboard({
      databaseUrl: db.url,
      port: 0,
      token: TOKEN,
      freshnessTargets: { leads: 7200 },
    });
    // The browser logs in the way a person would: basic auth with the token as password.
    if (chromium) browser = await launchBrowser({ password: TOKEN });
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await sim?.close();
    await db?.drop();
  });

  const getJson = async (path: string) => {
    const res = await fetch(`${dashboard.url}${path}`, { headers: bearer });
    expect(res.status).toBe(200);
    return (await res.json()) as Report;
  };

  it('/api/status: the failed stream, its error and resume command, both runs and their 429s', async () => {
    const report = await getJson('/api/status');
    const failed = report.streams.find((s) => s.stream === 'signal_types')!;
    expect(failed.health).toBe('failed');
    expect(failed.resumeCommand).toBe('npx puffle-sync sync --streams signal_types');
    expect((failed.lastError as { name: string }).name).toBe('RequestRejectedError');
    const leads = report.streams.find((s) => s.stream === 'leads')!;
    expect(leads).toMatchObject({
      health: 'fresh',
      freshness: { targetSeconds: 7200 },
      rows: sim.count('leads'),
    });
    expect(report.streams.filter((s) => s.health === 'fresh')).toHaveLength(report.streams.length - 1);
    expect(report.runs.map((r) => r.status)).toEqual([expect.not.stringMatching(/^succeeded$/), 'succeeded']);
    expect(report.runs[1]!.rateLimited).toBe(1);
    expect(report.runs[1]!.requestsByStatus).toMatchObject({ '429': 1 });
    expect(JSON.stringify(report)).not.toContain(keyBody);
  });

  it('`status --json` prints the same report as /api/status', async () => {
    const [cli, api] = await Promise.all([
      runCli(['status', '--json'], { DATABASE_URL: db.url, PUFFLE_FRESHNESS_TARGETS: 'leads=2h' }),
      getJson('/api/status'),
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    // Only the clock moved between the two readings.
    const timeless = (r: Report) =>
      JSON.parse(JSON.stringify(r), (k, v) =>
        k === 'generatedAt' || k === 'ageSeconds' || k === 'overdueSeconds' ? undefined : v,
      );
    expect(timeless(JSON.parse(cli.stdout))).toEqual(timeless(api));
    const text = await runCli(['status'], { DATABASE_URL: db.url, PUFFLE_FRESHNESS_TARGETS: 'leads=2h' });
    expect(text.stdout).toMatch(/^leads\s+on\s+fresh\s+\S+\s+\d+s\s+2h\s/m);
    expect(text.stdout).toContain('signal_types: resume with `npx puffle-sync sync --streams signal_types`');
  });

  it('/metrics: seconds past each freshness target', async () => {
    const text = await (await fetch(`${dashboard.url}/metrics`, { headers: bearer })).text();
    const overdue = (stream: string) =>
      Number(
        new RegExp(`^puffle_sync_freshness_overdue_seconds\\{stream="${stream}"\\} (-?\\d+)$`, 'm').exec(
          text,
        )?.[1],
      );
    // Synced seconds ago: about −target (a minute of slack for a loaded machine).
    expect(overdue('leads')).toBeGreaterThan(-7200);
    expect(overdue('leads')).toBeLessThan(-7200 + 60);
    expect(overdue('campaigns')).toBeLessThan(-26 * 3600 + 60);
    // signal_types failed in the second run: its age counts from the first.
    expect(overdue('signal_types')).toBeLessThan(-26 * 3600 + 60);
  });

  it('/ and /api/status answer only their own Host, and only with the token', async () => {
    for (const path of ['/', '/api/status']) {
      const url = `${dashboard.url}${path}`;
      expect((await fetch(url)).status, `${path} without a token`).toBe(401);
      expect(
        (await fetch(url, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
      ).toBe(401);
      const rebound = await send(url, { headers: { ...bearer, host: `attacker.example:${dashboard.port}` } });
      expect(rebound.status, `${path} for another Host`).toBe(421);
      expect(rebound.body).not.toContain('signal_types');
      expect((await send(url, { headers: { ...bearer, host: `localhost:${dashboard.port}` } })).status).toBe(
        200,
      );
      const basic = `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}`;
      expect((await fetch(url, { headers: { authorization: basic } })).status).toBe(200);
    }
    const page = await fetch(`${dashboard.url}/`, { headers: bearer });
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it.skipIf(!chromium)(
    'in headless chromium: the failed stream marked, its error and resume command, both runs and the 429 drawn',
    async () => {
      const page = await browser!.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
      const response = await page.goto(`${dashboard.url}/`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('puffle-sync status');

      const failedRow = page.locator('#streams tr[data-stream="signal_types"]');
      expect(await failedRow.getAttribute('data-health')).toBe('failed');
      expect(await failedRow.locator('td').nth(1).textContent()).toBe('failed');
      expect(await failedRow.locator('.last-error').textContent()).toMatch(/^RequestRejectedError: \S/);
      // The row is painted red, the others green.
      const dot = (stream: string) =>
        page
          .locator(`#streams tr[data-stream="${stream}"] .dot`)
          .evaluate((e) => (globalThis as unknown as ComputedStyleOf).getComputedStyle(e).backgroundColor);
      expect(await dot('signal_types')).toBe('rgb(214, 69, 65)');
      expect(await dot('leads')).toBe('rgb(46, 158, 91)');

      const failed = page.locator('#failed');
      expect(await failed.locator('h2').textContent()).toBe('1 stream failed');
      expect(await failed.locator('.failed-stream h3').textContent()).toBe('signal_types');
      expect(await failed.locator('.error-text').textContent()).toContain('RequestRejectedError');
      expect(await failed.locator('code.resume').textContent()).toBe(
        'npx puffle-sync sync --streams signal_types',
      );

      // Freshness: age against the target, 2 h for leads (set), 26 h for the rest (default).
      expect(await page.locator('#streams tr[data-stream="leads"] .freshness').textContent()).toMatch(
        /^\d+s \/ 2h$/,
      );
      expect(await page.locator('#streams tr[data-stream="campaigns"] .freshness').textContent()).toMatch(
        /^\d+s \/ 26h$/,
      );

      // The timeline: one group per run, oldest first, each with a visible duration bar.
      const runs = page.locator('svg#run-timeline g.run');
      expect(await runs.count()).toBe(2);
      expect(await runs.nth(0).getAttribute('data-status')).toBe('succeeded');
      expect(await runs.nth(1).getAttribute('data-status')).not.toBe('succeeded');
      const box = await runs.nth(0).locator('rect.duration').boundingBox();
      expect(box!.height).toBeGreaterThan(1);
      expect(
        Number(await runs.nth(0).locator('rect.records.read').getAttribute('data-value')),
      ).toBeGreaterThan(0);
      expect(await runs.nth(0).locator('text.mark429').textContent()).toBe('1×429');
      // Requests by status: the 429 the first run survived is its own segment and legend entry.
      expect(await page.locator('svg#requests-chart rect[data-status="429"]').count()).toBe(1);
      expect(await page.locator('#requests-legend span[data-status="429"]').textContent()).toBe('429: 1');
      expect(await page.locator('#rate-limits').textContent()).toMatch(
        /^1 × 429 survived in the last 2 runs/,
      );

      expect(await page.content()).not.toContain(keyBody);
      expect(errors).toEqual([]);
    },
  );
});
