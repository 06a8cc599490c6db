/**
 * Every environment variable the README and docs/ name is one the code reads — a declared setting
 * (src/config/variables.ts), its `_FILE` form for a secret, or one docker-compose.yml reads — and
 * every declared setting is documented in docs/configuration.md and the README.
 */
import { describe, expect, it } from 'vitest';
import { VARIABLES, type Variable } from '../../src/config/variables.ts';
import { codeBlockLines, codeSpans, read, userDocs } from './markdown.ts';

const declared = Object.values(VARIABLES) as Variable<unknown>[];
const readByConfig = new Set(declared.flatMap((v) => (v.secret ? [v.env, `${v.env}_FILE`] : [v.env])));
const compose = read('docker-compose.yml');
/** A name shaped like one of ours: PUFFLE_…, or one of the unprefixed ones we read. */
const UNPREFIXED = new Set(declared.map((v) => v.env).filter((e) => !e.startsWith('PUFFLE_')));
const isOurs = (name: string) => name.startsWith('PUFFLE_') || UNPREFIXED.has(name);

function variablesNamed(text: string): string[] {
  const words = [...codeSpans(text), ...codeBlockLines(text)].flatMap(
    (c) => c.match(/\b[A-Z][A-Z0-9_]{2,}\b/g) ?? [],
  );
  return [...new Set(words.filter(isOurs))];
}

describe('variables in the docs', () => {
  it.each(userDocs())('%s names only variables the code reads', (file) => {
    const unknown = variablesNamed(read(file)).filter((n) => !readByConfig.has(n) && !compose.includes(n));
    expect(unknown).toEqual([]);
  });

  it.each(['docs/configuration.md', 'README.md'])('%s documents every declared setting', (file) => {
    const named = new Set(variablesNamed(read(file)));
    expect(declared.map((v) => v.env).filter((e) => !named.has(e))).toEqual([]);
  });
});
