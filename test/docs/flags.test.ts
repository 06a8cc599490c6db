/**
 * Every `--flag` the README and docs/ show exists in the real CLI's `--help`: flags shown with a
 * command (`puffle-sync sync --queue`, `worker [--port P]`) in that command's help, any other in
 * the help of some command. The help comes from running bin/puffle-sync.js, as a user would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { codeBlockLines, codeSpans, prose, read, userDocs } from './markdown.ts';

const FLAG = /^--[a-z][a-z0-9-]*/;
const STOP = new Set(['|', '||', '&&', ';', '#', '>', '2>&1', '&']);

function flagsOfHelp(help: string): Set<string> {
  return new Set([...help.matchAll(/^ {2}(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!));
}

/** The flags of `tokens` (`[--port`, `--key=…` and `--faults SPEC` alike), up to a shell operator. */
function flagsIn(tokens: string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    if (STOP.has(raw)) break;
    const flag = FLAG.exec(raw.replace(/^[[(]+/, ''))?.[0];
    if (flag) out.push(flag);
  }
  return out;
}

/** [command or undefined (any command), flag] pairs a page shows. */
function shownFlags(text: string, commands: Set<string>): Array<[string | undefined, string]> {
  const shown: Array<[string | undefined, string]> = [];
  for (const line of codeBlockLines(text)) {
    for (const m of line.matchAll(/puffle-sync((?: +[^\s]+)*)/g)) {
      const tokens = m[1]!.trim().split(/\s+/);
      const command = commands.has(tokens[0]!) ? tokens[0] : undefined;
      for (const flag of flagsIn(command ? tokens.slice(1) : tokens)) shown.push([command ?? '', flag]);
    }
  }
  for (const span of codeSpans(text)) {
    const tokens = span.split(/\s+/).filter((t) => t !== 'npx' && t !== 'puffle-sync');
    const first = tokens[0] ?? '';
    if (commands.has(first)) for (const flag of flagsIn(tokens.slice(1))) shown.push([first, flag]);
    else if (FLAG.test(first)) for (const flag of flagsIn(tokens)) shown.push([undefined, flag]);
    // Anything else is another tool's command line (docker, psql, npm …).
  }
  const text_ = prose(text).replace(/`[^`\n]+`/g, '');
  for (const m of text_.matchAll(/(?<![\w`-])(--[a-z][a-z0-9-]+)/g)) shown.push([undefined, m[1]!]);
  return shown;
}

describe('flags in the docs', () => {
  const help = new Map<string, Set<string>>();

  beforeAll(async () => {
    const top = await runCli(['--help'], {});
    expect(top.code, top.stderr).toBe(0);
    const section = top.stdout.split(/^Commands:$/m)[1] ?? '';
    const commands = [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(5);
    help.set('', flagsOfHelp(top.stdout));
    const pages = await Promise.all(commands.map((c) => runCli([c, '--help'], {})));
    commands.forEach((c, i) => {
      expect(pages[i]!.code, pages[i]!.stderr).toBe(0);
      help.set(c, flagsOfHelp(pages[i]!.stdout));
    });
  }, 180_000);

  // docs/testing.md is about the test scripts; its flags are theirs (`npm run chaos -- --size …`).
  const pages = userDocs().filter((f) => f !== 'docs/testing.md');

  it.each(pages)('%s shows only flags the CLI has, on the commands that have them', (file) => {
    const commands = new Set([...help.keys()].filter(Boolean));
    const anyCommand = new Set([...help.values()].flatMap((s) => [...s]));
    const wrong: string[] = [];
    for (const [command, flag] of shownFlags(read(file), commands)) {
      const known = command === undefined ? anyCommand : help.get(command)!;
      if (!known.has(flag))
        wrong.push(`${command === undefined ? '' : `${command || 'puffle-sync'} `}${flag}`);
    }
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('checks something: the README shows sync flags', () => {
    expect(shownFlags(read('README.md'), new Set(['sync']))).toContainEqual(['sync', '--full-refresh']);
  });
});
