/** The README's first command: `puffle-sync demo` needs no key, Redis or Postgres and exits 0 with a summary. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import { runCli } from '../helpers/cli.ts';

describe('puffle-sync demo', () => {
  // research_reports is 100 requests to /api/v1/research/{id}: Puffle's V1 surface allows 100 a
  // minute per key, so the demo waits out its 429s (about a minute) like a real account would.
  it('syncs the simulated account into embedded PGlite at its default scale and shows what to query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puffle-demo-'));
    try {
      const res = await runCli(['demo', '--data-dir', join(dir, 'db')], {
        PUFFLE_API_KEY: undefined,
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
      });
      expect(res.code, res.stderr).toBe(0);
      for (const stream of DEFAULT_STREAMS)
        expect(res.stdout).toMatch(new RegExp(`^${stream}\\s+succeeded`, 'm'));
      expect(res.stdout).toMatch(/^TOTAL\s+succeeded/m);
      expect(res.stdout).toMatch(
        /\d+ requests to the simulator, [1-9]\d* rate-limit responses \(429\) survived/,
      );
      expect(res.stdout).toContain('-- Reply rate per campaign');
      expect(res.stdout).toContain('reply_rate_pct');
      expect(res.stdout).not.toContain('(no rows)');
      expect(res.stdout).toMatch(
        /Near-real-time: a new signal \(".+"\) reached puffle\.signals through its signed webhook \d+\.\d\d s after the delivery/,
      );
      // The last lines point to the SQL port and to the status page for this directory.
      const [data, page] = res.stdout.trimEnd().split('\n').slice(-2);
      expect(data).toBe(
        `The data is in ${join(dir, 'db')} (embedded PGlite). Open it with psql, Metabase, DBeaver or dbt: npx puffle-sync sql --data-dir ${join(dir, 'db')}`,
      );
      expect(page).toBe(
        `See this run on the status page: npx puffle-sync dashboard --data-dir ${join(dir, 'db')}, then open http://127.0.0.1:3000/`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
