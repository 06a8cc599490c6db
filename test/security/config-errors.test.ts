/**
 * Configuration errors are one line, name the variable and never echo the key — including a key
 * pasted into the wrong variable; plain http:// is refused for anything but loopback hosts.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { runCli } from '../helpers/cli.ts';

const KEY = 'pk_live_CONFIGCANARY_d41d8cd98f00b204';
const SECRET = KEY.slice('pk_live_'.length);
const base = { PUFFLE_API_KEY: KEY, PUFFLE_API_BASE_URL: 'http://127.0.0.1:9' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env, { requireKey: true });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(Object.keys(env))}`);
}

describe('configuration errors', () => {
  const cases: [string, Record<string, string | undefined>][] = [
    ['PUFFLE_API_KEY', { PUFFLE_API_KEY: undefined }],
    ['PUFFLE_API_KEY', { PUFFLE_API_KEY: `${KEY} trailing junk` }],
    ['PUFFLE_API_KEY', { PUFFLE_API_KEY: SECRET }],
    ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: KEY }],
    ['PUFFLE_API_BASE_URL', { PUFFLE_API_BASE_URL: `ftp://host/${KEY}` }],
    ['DATABASE_URL', { DATABASE_URL: KEY }],
    ['DATABASE_URL', { DATABASE_URL: `mysql://u:${SECRET}@h/db` }],
    ['REDIS_URL', { REDIS_URL: KEY }],
    ['PUFFLE_RATE_LIMIT_PER_MIN', { PUFFLE_RATE_LIMIT_PER_MIN: KEY }],
    ['PUFFLE_RATE_LIMIT_PER_MIN', { PUFFLE_RATE_LIMIT_PER_MIN: '0' }],
    ['PUFFLE_SYNC_SCHEMA', { PUFFLE_SYNC_SCHEMA: `x"; drop schema public; --${SECRET}` }],
    ['PUFFLE_REQUEST_TIMEOUT_MS', { PUFFLE_REQUEST_TIMEOUT_MS: 'soon' }],
    ['PUFFLE_QUEUE_PREFIX', { PUFFLE_QUEUE_PREFIX: `a {${SECRET}}` }],
    ['PUFFLE_QUEUE_BACKEND', { PUFFLE_QUEUE_BACKEND: KEY }],
    // Contradictions: a backend without the service it lives in.
    ['DATABASE_URL', { PUFFLE_QUEUE_BACKEND: 'postgres' }],
    ['REDIS_URL', { PUFFLE_QUEUE_BACKEND: 'redis' }],
  ];

  it.each(cases)('%s: one line naming the variable, no key (%#)', (variable, env) => {
    const err = configError({ ...base, ...env });
    expect(err.message).toContain(variable);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message).not.toContain(SECRET);
  });

  it('refuses plain http:// to anything but a loopback host', () => {
    for (const url of [
      'http://example.com',
      'http://10.0.0.5:8080',
      'http://0.0.0.0:80',
      'http://127.0.0.1.nip.io',
      'http://localhost.evil.example',
      'http://[::ffff:a00:5]',
      'HTTP://APP.PUFFLE.AI',
    ]) {
      const err = configError({ ...base, PUFFLE_API_BASE_URL: url });
      expect(err.message, url).toContain('https');
    }
    for (const url of [
      'http://127.0.0.1:4010',
      'http://localhost:1',
      'http://[::1]:3',
      'https://app.puffle.ai',
    ]) {
      expect(loadConfig({ ...base, PUFFLE_API_BASE_URL: url }).baseUrl, url).toBe(new URL(url).origin);
    }
  });

  it('prints one line and exits 2 from the CLI, with the key never echoed', async () => {
    const res = await runCli(['sync'], {
      ...base,
      PUFFLE_API_BASE_URL: KEY,
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
    });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('PUFFLE_API_BASE_URL');
    expect(res.stdout + res.stderr).not.toContain(SECRET);
  });
});
