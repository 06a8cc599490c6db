/**
 * Found by the security checks: a key pasted into PUFFLE_API_BASE_URL came back verbatim in the
 * ConfigError message ("PUFFLE_API_BASE_URL is not a URL: \"pk_live_…\""). Only the CLI's last-line
 * redaction hid it; any other caller of loadConfig (dashboard, tests, logs) would print it.
 */
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';

it('never echoes the value of an unparseable PUFFLE_API_BASE_URL', () => {
  const key = 'pk_live_REGRESSIONCANARY_0123456789';
  expect(() => loadConfig({ PUFFLE_API_KEY: key, PUFFLE_API_BASE_URL: key })).toThrow(/PUFFLE_API_BASE_URL/);
  try {
    loadConfig({ PUFFLE_API_BASE_URL: `${key} ` });
  } catch (err) {
    expect((err as Error).message).not.toContain('REGRESSIONCANARY');
  }
});
