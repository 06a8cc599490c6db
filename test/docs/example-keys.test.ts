/**
 * Every API key the docs show as an example (`pk_live_mykey0001`, not the `pk_live_…` placeholder)
 * is one `sync` accepts: a reader who copies it into the simulator and the sync is not refused.
 */
import { describe, expect, it } from 'vitest';
import { VARIABLES } from '../../src/config/variables.ts';
import { markdownFiles, read } from './markdown.ts';

describe('example keys in the docs', () => {
  it.each(markdownFiles())('%s: every example key is shaped as sync requires', (file) => {
    const keys = [...read(file).matchAll(/pk_live_[A-Za-z0-9_-]+/g)].map((m) => m[0]);
    const refused = keys.filter((key) => {
      try {
        VARIABLES.apiKey.kind.parse(key);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toEqual([]);
  });

  it('would refuse the example keys docs/simulator.md once showed', () => {
    expect(() => VARIABLES.apiKey.kind.parse('pk_live_mykey')).toThrow();
  });
});
