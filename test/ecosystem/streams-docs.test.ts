/** docs/streams.md is the rendering of the stream catalog (src/extract/streams.ts), never stale. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStreamsDocs, STREAMS_DOCS_PATH } from '../../scripts/gen-streams-docs.ts';
import { STREAMS } from '../../src/extract/streams.ts';

describe('docs/streams.md', () => {
  const fresh = renderStreamsDocs();

  it('is identical to a fresh generation (run `npm run docs:streams` after changing the catalog)', () => {
    const committed = readFileSync(STREAMS_DOCS_PATH, 'utf8');
    expect(committed === fresh, 'docs/streams.md is stale: run `npm run docs:streams` and commit it').toBe(
      true,
    );
  });

  it('has one row per catalog stream, with its endpoint', () => {
    const rows = fresh.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(STREAMS.length);
    for (const def of STREAMS) expect(fresh).toContain(`| \`${def.name}\` | \`GET ${def.path}`);
  });
});
