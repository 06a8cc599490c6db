import { describe, expect, it } from 'vitest';
import { classify, parseErrorEnvelope } from '../../src/extract/classify.ts';

describe('parseErrorEnvelope', () => {
  it.each([
    [
      'nested',
      '{"error":{"code":"unauthorized","message":"bad key"}}',
      { code: 'unauthorized', message: 'bad key' },
    ],
    ['flat', '{"error":"Internal server error"}', { message: 'Internal server error' }],
    ['top-level message', '{"message":"nope"}', { message: 'nope' }],
    ['not JSON (an HTML page: tags dropped)', '<html>bad gateway</html>', { message: 'bad gateway' }],
    ['empty', '', {}],
    ['array', '[1]', {}],
  ])('%s', (_label, text, expected) => {
    expect(parseErrorEnvelope(text)).toEqual(expected);
  });

  it('redacts a key echoed by the server and clips long messages', () => {
    const env = parseErrorEnvelope(
      JSON.stringify({ error: `bad key pk_live_abcdef123456 ${'x'.repeat(500)}` }),
    );
    expect(env.message).not.toContain('pk_live_abcdef123456');
    expect(env.message!.length).toBeLessThanOrEqual(201);
  });
});

describe('classify', () => {
  it.each([
    [200, undefined, 'ok'],
    [401, undefined, 'auth'],
    [400, undefined, 'rejected'],
    [403, undefined, 'rejected'],
    [404, undefined, 'rejected'],
    [422, undefined, 'rejected'],
    [429, undefined, 'rate-limited'],
    [500, undefined, 'retryable'],
    [502, undefined, 'retryable'],
    [503, undefined, 'retryable'],
    [400, 'unauthorized', 'auth'],
    [403, 'unauthorized', 'auth'],
    [500, 'not_found', 'rejected'],
    [400, 'rate_limited', 'rate-limited'],
    [401, 'forbidden', 'rejected'],
    [418, 'something_new', 'rejected'],
  ] as const)('%i with code %s → %s', (status, code, expected) => {
    expect(classify(status, code)).toBe(expected);
  });
});
