/**
 * Debian's chromium through playwright-core, headless, in a throw-away profile, logged in to the
 * dashboard the way a person would be (basic auth with the token as password). Tests skip, saying
 * why, when /usr/bin/chromium is not installed (`apt-get install -y chromium`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function hasChromium(what: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`${what} skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return found;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { password: string; args?: string[] }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'puffle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
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
      ...(opts.args ?? []),
    ],
    httpCredentials: { username: 'ops', password: opts.password },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
