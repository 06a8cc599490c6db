/**
 * Found by the security checks: a key pasted into PUFFLE_API_BASE_URL came back verbatim in the
 * ConfigError message ("PUFFLE_API_BASE_URL is not a URL: \"pk_live_…\""). Only the CLI's last-line
 * redaction hid it; any other caller of loadConfig (dashboard, tests, logs) would print it.
 */
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';

const KEY = 'pk_live_REGRESSIONCANARY_0123456789';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

it.each([
  ['the key itself', { PUFFLE_API_KEY: KEY, PUFFLE_API_BASE_URL: KEY }],
  ['the key with a trailing space, no key set', { PUFFLE_API_BASE_URL: `${KEY} ` }],
  ['a URL carrying the key', { PUFFLE_API_BASE_URL: `http//api.example/${KEY}` }],
])('never echoes the value of an unparseable PUFFLE_API_BASE_URL: %s', (_label, env) => {
  const err = configError(env);
  expect(err.message).toMatch(/PUFFLE_API_BASE_URL/);
  expect(err.message).not.toContain('REGRESSIONCANARY');
});
