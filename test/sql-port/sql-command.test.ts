/**
 * `puffle-sync sql` as a user runs it, with Debian's real `psql` (postgresql-client): it serves an
 * embedded warehouse synced from the simulator on loopback; psql reads the clean views and their
 * comments; `sync` and `status` of the same directory go through the port with no lock error, and
 * two syncs through it still exclude each other; a taken port or an already served directory is
 * a one-line error (exit 2); Ctrl-C stops it and frees the directory.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream, STREAM_NAMES } from '../../src/extract/streams.ts';
import { openDatabase } from '../../src/load/index.ts';
import { SERVED_MARKER } from '../../src/load/served.ts';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { type CliResult, runCli, startCli } from '../helpers/cli.ts';
import { expectedRecords } from '../helpers/compare-tables.ts';
import { parseQueries } from '../helpers/queries-file.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

const run = promisify(execFile);
const PSQL = '/usr/bin/psql';
const hasPsql = existsSync(PSQL);
if (!hasPsql)
  console.warn(`sql port psql test skipped: ${PSQL} is missing (apt-get install -y postgresql-client)`);

const KEY = 'pk_live_sqlPortTestKey0123456';

async function psql(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(PSQL, [url, '-X', '-v', 'ON_ERROR_STOP=1', ...args], {
    env: { PATH: process.env.PATH, PGCONNECT_TIMEOUT: '10' },
  });
  return stdout;
}

describe.skipIf(!hasPsql)('puffle-sync sql', () => {
  let sim: Simulator;
  let dir: string;
  let server: ReturnType<typeof startCli>;
  let url: string;
  const env = () => ({
    PUFFLE_API_KEY: KEY,
    PUFFLE_API_BASE_URL: sim.url,
    PUFFLE_SYNC_DATA_DIR: dir,
    PUFFLE_RATE_LIMIT_PER_MIN: '60000',
    PUFFLE_ENRICHMENT_RUN_IDS: sim.enrichmentRunIds.join(','),
  });

  beforeAll(async () => {
    sim = await startSimulator({ scale: 100, seed: 12, keys: [KEY], rateLimit: null });
    dir = mkdtempSync(join(tmpdir(), 'puffle-sql-'));
    expect((await syncOnce(sim, { dataDir: dir }, { key: KEY })).status).toBe('succeeded');
    server = startCli(['sql', '--port', '0'], { PUFFLE_SYNC_DATA_DIR: dir });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.child.stdout!.on('data', (d) => {
        out += d;
        const m = /connection string +(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      void server.done.then((r) => reject(new Error(`sql exited early: ${r.code} ${r.stderr}`)));
    });
    // A sync into PGlite and a CLI start: minutes on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.done;
    }
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves on loopback and psql reads the freshness view and the described views', async () => {
    expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const freshness = await psql(
      url,
      '-At',
      '-F',
      '|',
      '-c',
      'select stream, rows, last_run_status from puffle_analytics.freshness',
    );
    const rows = freshness
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    expect(rows.map((r) => r[0]).sort()).toEqual([...STREAM_NAMES].sort());
    for (const [stream, count, status] of rows) {
      expect(status, stream).toBe('succeeded');
      expect(Number(count), stream).toBe([...expectedRecords(sim, getStream(String(stream)))].length);
    }
    expect(await psql(url, '-c', '\\dv puffle_analytics.*')).toContain('campaign_leads');
    expect(await psql(url, '-c', '\\d+ puffle_analytics.campaign_leads')).toContain(
      'Email address of the prospect.',
    );
  });

  it('runs queries of docs/queries.sql on the clean views through psql', async () => {
    const byName = new Map(parseQueries().map((q) => [q.name, q.sql]));
    const total = async (name: string, column: string) => {
      const out = await psql(url, '-At', '-c', `select sum(${column}) from (${byName.get(name)}) q`);
      return Number(out.trim());
    };
    expect(await total('prospects_per_status', 'prospects')).toBe(sim.count('campaign_leads'));
    expect(await total('signals_per_type_per_week', 'signals')).toBe(sim.count('signals'));
  });

  it('lets a sync of the same directory run through it, with no lock error', async () => {
    const lead = sim.mutate.insert('leads', undefined, { name: { full: 'Ada Through-The-Port' } });
    const result = await runCli(['sync', '--json'], env());
    expect(result.stderr).not.toMatch(/in use by process/);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('succeeded');
    const found = await psql(
      url,
      '-At',
      '-c',
      `select full_name from puffle_analytics.leads where id = '${lead.id}'`,
    );
    expect(found.trim()).toBe('Ada Through-The-Port');
  });

  it('still lets only one sync run at a time through it', async () => {
    sim.setLatency(40);
    try {
      const [a, b] = await Promise.all([runCli(['sync'], env()), runCli(['sync'], env())]);
      const codes = [a.code, b.code].sort();
      expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 1]);
      const loser = a.code === 1 ? a : b;
      expect(loser.stderr).toContain('already running');
    } finally {
      sim.setLatency(0);
    }
  });

  it('answers status through it', async () => {
    const status = await runCli(['status', '--json'], { PUFFLE_SYNC_DATA_DIR: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).streams).toHaveLength(STREAM_NAMES.length);
  });

  it('refuses, in one line, a taken port and a directory already served', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const other = mkdtempSync(join(tmpdir(), 'puffle-sql-other-'));
    let busy: CliResult;
    try {
      busy = await runCli(['sql', '--port', String(taken)], { PUFFLE_SYNC_DATA_DIR: other });
    } finally {
      blocker.close();
      rmSync(other, { recursive: true, force: true });
    }
    expect(busy.code).toBe(2);
    expect(busy.stderr.trim()).toBe(
      `puffle-sync: port ${taken} on 127.0.0.1 is already in use (another Postgres, or another puffle-sync sql?): choose a free one with --port`,
    );
    const twice = await runCli(['sql', '--port', '0'], { PUFFLE_SYNC_DATA_DIR: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    expect(twice.stderr).toContain('already served');
  });

  it('stops on Ctrl-C and frees the directory', async () => {
    server.child.kill('SIGINT');
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, SERVED_MARKER))).toBe(false);
    const direct = await openDatabase({ dataDir: dir, schema: 'puffle' });
    await direct.close();
    expect(direct.kind).toBe('pglite');
  });
});
