/**
 * `worker` on the embedded database: PGlite is single-process, so a worker on it could never share
 * a run with another process. It is refused as a configuration error before anything is created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { testRedisUrl } from '../helpers/services.ts';

describe('worker without DATABASE_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puffle-worker-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with one line naming DATABASE_URL and creates no PGlite directory', async () => {
    const dataDir = join(dir, 'data');
    const res = await runCli(['worker'], {
      PUFFLE_API_KEY: 'pk_live_workerNeedsPostgres1',
      REDIS_URL: testRedisUrl(),
      PUFFLE_SYNC_DATA_DIR: dataDir,
    });
    expect(res.code, res.stderr).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^puffle-sync: worker needs DATABASE_URL: /);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
