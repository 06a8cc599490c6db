/**
 * Bull Board in a real headless browser (Debian's chromium through playwright-core): the page
 * renders and lists the sync queue with the job we put on it. Skipped, saying why, when
 * /usr/bin/chromium is not installed (`apt-get install -y chromium`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { enqueueRun, openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('dashboard in headless chromium', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sq: SyncQueue;
  let dashboard: Dashboard;
  let context: BrowserContext;
  let profile: string;
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
    profile = mkdtempSync(join(tmpdir(), 'puffle-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      // The browser logs in the way a person would: basic auth with the token as password.
      httpCredentials: { username: 'ops', password: TOKEN },
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await dashboard?.close();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.drop();
  });

  it('loads Bull Board and lists the sync queue', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(`${dashboard.url}/`, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${dashboard.url}/queues`);
    expect(await page.title()).toBe('puffle-sync');
    // The queue card is rendered by the React app from /queues/api/queues.
    const card = page.getByRole('link', { name: 'sync', exact: true }).first();
    await card.waitFor({ timeout: 15_000 });
    await card.click();
    await page.waitForURL(/\/queues\/queue\/sync/, { timeout: 15_000 });
    expect(errors).toEqual([]);
  });
});
