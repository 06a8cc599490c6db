/**
 * The commands shown in docs/running-in-production.md and docs/configuration.md exist, with the
 * flags they are shown with (checked against the real commander program, in process).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';

const DOCS = ['docs/running-in-production.md', 'docs/configuration.md'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The code of a markdown text: fenced blocks and inline code spans. */
function codeOf(text: string): string {
  const fenced = [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const inline = [...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline].join('\n');
}

/** `puffle-sync <cmd> …` and `docker compose run --rm worker <cmd> …` invocations in code. */
function invocations(text: string): string[][] {
  const out: string[][] = [];
  for (const m of codeOf(text).matchAll(/(?:puffle-sync|run --rm worker) ([a-z][a-z-]*(?: [^\s`#|)]+)*)/g)) {
    out.push(m[1]!.split(' ').filter((t) => t !== '…' && !t.startsWith('<')));
  }
  return out;
}

describe('commands in the docs', () => {
  const program = buildProgram();
  const known = new Map(program.commands.map((c) => [c.name(), c]));

  it.each(DOCS)('%s names real commands and flags', (doc) => {
    const found = invocations(readFileSync(`${ROOT}${doc}`, 'utf8'));
    expect(found.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [name, ...args] of found) {
      const cmd = known.get(name!);
      if (!cmd) {
        problems.push(`unknown command "${name}"`);
        continue;
      }
      const flags = new Set(cmd.options.map((o) => o.long));
      for (const a of args)
        if (a.startsWith('--') && !flags.has(a)) problems.push(`${name}: unknown flag ${a}`);
    }
    expect(problems).toEqual([]);
  });
});
