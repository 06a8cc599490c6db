/**
 * Bull Board in a real headless browser (Debian's chromium through playwright-core): the page
 * renders and lists the sync queue with the job we put on it. Skipped, saying why, when
 * /usr/bin/chromium is not installed (`apt-get install -y chromium`).
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { enqueueRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { type Browser, hasChromium, launchBrowser } from '../helpers/chromium.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const TOKEN = 'browser-test-token';

describe.skipIf(!hasChromium('dashboard browser test'))('dashboard in headless chromium', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sq: SyncQueue;
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  const prefix = uniquePrefix('browser');

  beforeAll(async () => {
    db = await createTestDatabase('browser');
    sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
    await enqueueRun(sq.queue, { streams: ['campaigns', 'leads'] });
    dashboard = await startDashboard({
      databaseUrl: db.url,
      redisUrl: testRedisUrl(),
      queuePrefix: prefix,
      port: 0,
      token: TOKEN,
    });
    // The browser logs in the way a person would: basic auth with the token as password.
    browser = await launchBrowser({ password: TOKEN });
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.drop();
  });

  it('loads Bull Board from the status page and lists the sync queue', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // Nothing synced into this database yet: the status page says so, and still links Bull Board.
    const response = await page.goto(`${dashboard.url}/`, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('no puffle-sync tables yet');
    // `/` is the status page; it links Bull Board, a person's way there.
    await page.getByRole('link', { name: 'Queues (Bull Board)' }).click();
    await page.waitForURL(`${dashboard.url}/queues`, { timeout: 15_000 });
    expect(await page.title()).toBe('puffle-sync');
    // The queue card is rendered by the React app from /queues/api/queues.
    const card = page.getByRole('link', { name: 'sync', exact: true }).first();
    await card.waitFor({ timeout: 15_000 });
    await card.click();
    await page.waitForURL(/\/queues\/queue\/sync/, { timeout: 15_000 });
    expect(errors).toEqual([]);
  });
});
