/**
 * A fresh clone holds every page its docs link to: every relative Markdown link resolves to a file
 * of the repository (and its #anchor to a heading of that page), and no file of the repository —
 * page, code comment, config — refers to a path outside it (`../shared/…`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, prose, ROOT, read, repoFiles } from './markdown.ts';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchorsOf(text: string): Set<string> {
  const headings = [...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[`*_]/g, (c) => (c === '_' ? '_' : ''))
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

const insideRepo = (path: string) => !relative(ROOT, path).startsWith('..');

describe('links', () => {
  it.each(markdownFiles())('%s: every relative link resolves inside the repository', (file) => {
    const text = read(file);
    const broken: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#');
      const target = path ? join(ROOT, dirname(file), decodeURI(path)) : join(ROOT, file);
      if (!insideRepo(target)) broken.push(`${link}: outside the repository`);
      else if (!existsSync(target)) broken.push(`${link}: no such file`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(read(relative(ROOT, target))).has(anchor))
        broken.push(`${link}: no heading for #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it('no file refers to a path outside the repository', () => {
    const outside: string[] = [];
    for (const file of repoFiles()) {
      if (!/\.(md|ts|js|json|ya?ml|sql|toml|sh)$|^Dockerfile$/.test(file)) continue;
      const text = read(file);
      for (const m of text.matchAll(/(?:\.\.\/)+[\w.-]+(?:\/[\w.-]+)*/g)) {
        if (!insideRepo(join(ROOT, dirname(file), m[0]))) outside.push(`${file}: ${m[0]}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
