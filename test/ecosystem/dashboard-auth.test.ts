/** The dashboard token check, as a pure unit. */
import { describe, expect, it } from 'vitest';
import { presentedToken, tokenMatches } from '../../src/dashboard/auth.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('dashboard token', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['Bearer s3cret', 's3cret'],
    ['bearer   s3cret', 's3cret'],
    [basic('ops', 's3cret'), 's3cret'],
    [basic('', 'with:colon'), 'with:colon'],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, undefined],
    ['Digest abc', undefined],
  ])('%s → %s', (header, token) => {
    expect(presentedToken(header)).toBe(token);
  });

  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches('s3cret', 's3cret')).toBe(true);
    expect(tokenMatches('s3cret', 's3cre')).toBe(false);
    expect(tokenMatches('s3cret', 's3cret ')).toBe(false);
    expect(tokenMatches('s3cret', '')).toBe(false);
    expect(tokenMatches('s3cret', undefined)).toBe(false);
  });
});
