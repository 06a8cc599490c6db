import { readFileSync } from 'node:fs';

/** `puffle-sync/<version>` from package.json, read once at import. */
export const USER_AGENT = `puffle-sync/${
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version
}`;
