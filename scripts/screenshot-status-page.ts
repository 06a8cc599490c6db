/**
 * Regenerates docs/status-page.png: the status page of a running dashboard, in headless Chromium.
 *   npx puffle-sync demo && (npx puffle-sync dashboard --data-dir ./.puffle-sync-demo &)
 *   npx tsx scripts/screenshot-status-page.ts http://127.0.0.1:3000/ docs/status-page.png
 */
import { chromium } from 'playwright-core';

const [url = 'http://127.0.0.1:3000/', out = 'docs/status-page.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const response = await page.goto(url);
  if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
