/**
 * A key with surrounding whitespace — the trailing newline of `echo key > file`, of `$(cat file)`,
 * a CRLF file from Windows — is trimmed and accepted, as docs/configuration.md and
 * docs/running-in-production.md say; whitespace inside a key is still refused (exit 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/services.ts';

const KEY = 'pk_live_trailingNewline0123';

describe('a key with surrounding whitespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puffle-key-ws-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['the variable', () => loadConfig({ PUFFLE_API_KEY: `${KEY}\n` })],
    ['the flag', () => loadConfig({}, { flags: { apiKey: `  ${KEY}\n` } })],
    [
      'a CRLF key file',
      () => {
        const path = join(dir, 'crlf');
        writeFileSync(path, `${KEY}\r\n`, { mode: 0o600 });
        return loadConfig({ PUFFLE_API_KEY_FILE: path });
      },
    ],
  ])('is trimmed and accepted from %s', (_, load) => {
    expect(load().apiKey).toBe(KEY);
  });

  it('is refused when the whitespace is inside the key', () => {
    expect(() => loadConfig({ PUFFLE_API_KEY: `${KEY}\nsecond-line` })).toThrow(ConfigError);
  });

  it('syncs with the trimmed key: the real CLI exits 0 and Puffle saw the key without the newline', async () => {
    const sim = await startSimulator({ scale: 50, seed: 61, keys: [KEY], rateLimit: null });
    const pg = await createTestDatabase('key_whitespace');
    try {
      const res = await runCli(['sync', '--streams', 'campaigns', '--json'], {
        PUFFLE_API_KEY: `${KEY}\n`,
        PUFFLE_API_BASE_URL: sim.url,
        DATABASE_URL: pg.url,
      });
      expect(res.code, res.stderr).toBe(0);
      expect(sim.requests.length).toBeGreaterThan(0);
      expect(sim.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await sim.close();
      await pg.drop();
    }
  }, 60_000);
});
