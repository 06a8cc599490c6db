import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/services.ts';

const JOURNAL = JSON.parse(
  readFileSync(new URL('../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: Array<{ tag: string }> };

describe('puffle-sync migrate', () => {
  let pg: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    pg = await createTestDatabase('migrate_cli');
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('applies the migrations once into the configured schema, then reports it is up to date', async () => {
    const env = { DATABASE_URL: pg.url, PUFFLE_SYNC_SCHEMA: 'cli_schema' };
    const first = await runCli(['migrate', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      schema: 'cli_schema',
      analytics: 'cli_schema_analytics',
      applied: JOURNAL.entries.map((e) => e.tag),
      skipped: [],
      generated: ['generated:analytics'],
    });
    const second = await runCli(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('schema "cli_schema" in Postgres: already up to date\n');
  });

  it('exits 2 with one line naming the database when it cannot be reached', async () => {
    const result = await runCli(
      ['migrate', '--database-url', 'postgres://nobody:secret@127.0.0.1:1/nowhere'],
      {},
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^puffle-sync: cannot connect to the database at 127\.0\.0\.1:1\/nowhere: .+\n$/,
    );
    expect(result.stderr).not.toContain('secret');
  });
});
