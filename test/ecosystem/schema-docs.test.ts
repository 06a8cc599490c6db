import { readFileSync } from 'node:fs';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { renderSchemaDocs, SCHEMA_DOCS_PATH } from '../../scripts/gen-schema-docs.ts';
import { TABLES } from '../../src/analytics/descriptions.ts';
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
    const tables = [
      ...Object.values(t.streams),
      ...Object.values(t.children),
      ...Object.values(t.bookkeeping),
    ];
    for (const table of tables) {
      const { name, columns } = getTableConfig(table);
      const section = fresh.split(`\n### ${name}\n`)[1]?.split('\n### ')[0];
      expect(section, `section for ${name}`).toBeDefined();
      for (const c of columns) expect(section, `${name}.${c.name}`).toMatch(new RegExp(`\\| \`${c.name}\``));
    }
  });

  it('describes only tables and columns that exist (no stale descriptions)', () => {
    const t = buildTables('puffle');
    const tables = new Map(
      [...Object.values(t.streams), ...Object.values(t.children), ...Object.values(t.bookkeeping)].map(
        (table) => {
          const config = getTableConfig(table);
          return [config.name, new Set(config.columns.map((c) => c.name))];
        },
      ),
    );
    const stale: string[] = [];
    for (const [table, doc] of Object.entries(TABLES)) {
      const columns = tables.get(table);
      if (!columns) stale.push(table);
      for (const column of Object.keys(doc.columns ?? {}))
        if (!columns?.has(column)) stale.push(`${table}.${column}`);
    }
    expect(stale, 'described in src/analytics/descriptions.ts but not in src/load/schema.ts').toEqual([]);
    expect(fresh).toContain('| `campaign_leads.campaign_id` | `campaigns.id` |');
  });
});
