/**
 * The attacks of the issue, made by a real browser (Debian's chromium through playwright-core)
 * that is logged in to the dashboard (basic auth with the token, cached as browsers do):
 * - a page on another origin posts a job with `text/plain` (a "simple" cross-site request that
 *   needs no preflight and carries the cached credentials) → refused, no job;
 * - DNS rebinding: `attacker.example` resolves to 127.0.0.1, and its page pauses the queue with
 *   a same-origin PUT → 421, the queue keeps running;
 * - the dashboard's own page can still pause and resume (Bull Board sends bodyless PUTs).
 * Skipped, saying why, when /usr/bin/chromium is not installed (`apt-get install -y chromium`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { PAUSED_STATE } from '../../src/dashboard/queue-depth.ts';
import { openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { type Browser, hasChromium, launchBrowser } from '../helpers/chromium.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const TOKEN = 'browser-attack-token-0123456789';

/** A text/plain fetch (no preflight) and a text/plain form whose body reads as JSON. */
function attackPage(target: string): string {
  const add = `${target}/queues/api/queues/sync/add`;
  return `<!doctype html><title>evil</title>
<form method="POST" action="${add}" enctype="text/plain">
  <input name='{"name":"csrf-form","data":{},"x":"' value='"}'>
</form>
<script>
  fetch(${JSON.stringify(add)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
    headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'csrf', data: {} }) })
    .catch(() => {})
    .finally(() => document.forms[0].submit());
</script>`;
}

describe.skipIf(!hasChromium('dashboard attack test'))('browser attacks on the dashboard', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sq: SyncQueue;
  let dashboard: Dashboard;
  let evil: http.Server;
  let evilUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  const prefix = uniquePrefix('attack');

  beforeAll(async () => {
    db = await createTestDatabase('attack');
    sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
    await sq.queue.add('noop', {});
    dashboard = await startDashboard({
      databaseUrl: db.url,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      port: 0,
      token: TOKEN,
    });
    // Another origin (another port): the attacker's page, which forges two requests at once.
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(attackPage(dashboard.url));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    browser = await launchBrowser({
      password: TOKEN,
      // DNS rebinding, made deterministic: the attacker's name resolves to this machine.
      args: ['--host-resolver-rules=MAP attacker.example 127.0.0.1'],
    });
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await dashboard?.close();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.drop();
  });

  const jobs = () => sq.queue.getJobCountByTypes('waiting', PAUSED_STATE, 'prioritized', 'delayed');

  it('a cross-site text/plain POST creates no job', async () => {
    const page = await context.newPage();
    // Log in first, so the browser holds the credentials a forged request would carry.
    expect((await page.goto(`${dashboard.url}/queues`))?.status()).toBe(200);
    await page.goto(evilUrl);
    await page.waitForURL(/queues\/api\/queues\/sync\/add/, { timeout: 10_000 });
    expect(await page.content()).toContain(
      'state-changing requests must send Content-Type: application/json',
    );
    expect(await jobs()).toBe(1);
    await page.close();
  });

  it('a DNS-rebinding page cannot read the board or pause the queue', async () => {
    const port = new URL(dashboard.url).port;
    const page = await context.newPage();
    const first = await page.goto(`http://attacker.example:${port}/queues`);
    expect(first?.status()).toBe(421);
    const status = await page.evaluate(async () => {
      const res = await fetch('/queues/api/queues/pause', { method: 'PUT' });
      return res.status;
    });
    expect(status).toBe(421);
    expect(await sq.queue.isPaused()).toBe(false);
    await page.close();
  });

  it("the dashboard's own page can still pause and resume", async () => {
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/queues`);
    const put = (path: string) =>
      page.evaluate(async (p) => (await fetch(p, { method: 'PUT' })).status, path);
    expect(await put('/queues/api/queues/sync/pause')).toBe(200);
    expect(await sq.queue.isPaused()).toBe(true);
    expect(await put('/queues/api/queues/sync/resume')).toBe(200);
    expect(await sq.queue.isPaused()).toBe(false);
    await page.close();
  });
});
