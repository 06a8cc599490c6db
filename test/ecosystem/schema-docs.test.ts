import { readFileSync } from 'node:fs';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { renderSchemaDocs, SCHEMA_DOCS_PATH } from '../../scripts/gen-schema-docs.ts';
import { buildTables } from '../../src/load/schema.ts';

describe('docs/schema.md', () => {
  const fresh = renderSchemaDocs();

  it('is identical to a fresh generation (run `npm run docs:schema` after changing src/load/schema.ts)', () => {
    const committed = readFileSync(SCHEMA_DOCS_PATH, 'utf8');
    expect(committed === fresh, 'docs/schema.md is stale: run `npm run docs:schema` and commit it').toBe(
      true,
    );
  });

  it('documents every table and every column of the Drizzle schema', () => {
    const t = buildTables('puffle');
    const tables = [...Object.values(t.streams), t.sync_state, t.walk_seen, t.sync_runs, t.rejected_records];
    for (const table of tables) {
      const { name, columns } = getTableConfig(table);
      const section = fresh.split(`\n### ${name}\n`)[1]?.split('\n### ')[0];
      expect(section, `section for ${name}`).toBeDefined();
      for (const c of columns) expect(section, `${name}.${c.name}`).toMatch(new RegExp(`\\| \`${c.name}\``));
    }
  });

  it('gives each column a meaning and a generic one only to columns nobody described', () => {
    const generic = fresh.match(/Field `[^`]+` of the API record/g) ?? [];
    // Every documented column has a real description today; a new undescribed column is allowed
    // (the generator must not fail) but should be rare.
    expect(generic.length).toBeLessThan(10);
    expect(fresh).toContain('| `campaign_leads.campaign_id` | `campaigns.id` |');
  });
});
