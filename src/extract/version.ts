import { readFileSync } from 'node:fs';

/** The package.json version, read once at import. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** `puffle-sync/<version>`: the User-Agent of every request to Puffle. */
export const USER_AGENT = `puffle-sync/${VERSION}`;
