/** `puffle-sync simulate` as a user runs it: prints URL, key and admin token; stops on SIGTERM. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

async function startCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ out: () => string; url: string }> {
  const { PUFFLE_API_KEY: _drop, ...base } = process.env;
  child = spawn(process.execPath, ['bin/puffle-sync.js', 'simulate', '--port', '0', ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  for (let i = 0; i < 300 && !out.includes('Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`simulator did not start:\n${out}`);
  return { out: () => out, url };
}

describe('puffle-sync simulate', () => {
  it('generates a key, serves it, and exits 0 on SIGTERM', async () => {
    const { out, url } = await startCli(['--scale', '40', '--rate-limit-per-min', '0']);
    const key = /PUFFLE_API_KEY=(pk_live_\w+)/.exec(out())?.[1];
    expect(out()).toMatch(/admin token: adm_\w+/);
    const res = await fetch(`${url}/api/leads?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { leads: unknown[] }).leads).toHaveLength(40);
    child?.kill('SIGTERM');
    const [code] = await once(child as ChildProcess, 'exit');
    expect(code).toBe(0);
    expect(out()).toContain('simulator stopped after 1 requests');
  });

  it('accepts PUFFLE_API_KEY and --key, and does not print given keys in full', async () => {
    const { out, url } = await startCli(
      ['--key', 'pk_live_fromflag_1234', '--faults', '503@/api/account#1'],
      {
        PUFFLE_API_KEY: 'pk_live_fromenv_5678',
      },
    );
    expect(out()).not.toContain('pk_live_fromenv_5678');
    expect(out()).toContain('…5678');
    const get = (key: string) => fetch(`${url}/api/account`, { headers: { authorization: `Bearer ${key}` } });
    expect((await get('pk_live_fromenv_5678')).status).toBe(503);
    expect((await get('pk_live_fromflag_1234')).status).toBe(200);
    child?.kill('SIGINT');
    const [code] = await once(child as ChildProcess, 'exit');
    expect(code).toBe(0);
  });

  it('--help lists the options and exits 0', async () => {
    child = spawn(process.execPath, ['bin/puffle-sync.js', 'simulate', '--help'], { stdio: 'pipe' });
    let text = '';
    child.stdout?.on('data', (d) => {
      text += String(d);
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const flag of ['--port', '--host', '--scale', '--seed', '--rate-limit-per-min', '--faults', '--key'])
      expect(text).toContain(flag);
  });

  it('rejects a bad fault spec with exit code 2', async () => {
    child = spawn(
      process.execPath,
      ['bin/puffle-sync.js', 'simulate', '--port', '0', '--faults', 'explode@/x'],
      { stdio: 'pipe' },
    );
    let err = '';
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('unknown fault kind');
  });
});
