/** docs/configuration.md names every environment variable the code reads. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_TOKEN_ENV } from '../../src/cli/commands/dashboard.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('docs/configuration.md', () => {
  it('documents every environment variable read under src/', () => {
    const names = new Set<string>([DASHBOARD_TOKEN_ENV]);
    for (const file of sources(join(ROOT, 'src'))) {
      if (file.includes(`${join('src', 'simulator')}`)) continue; // the simulator is not configured by users
      for (const m of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]{2,})\b/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(10);
    const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    const missing = [...names].filter((n) => !doc.includes(`\`${n}\``));
    expect(missing, 'add these to docs/configuration.md').toEqual([]);
  });
});
