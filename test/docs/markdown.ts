/** The repository's Markdown, read the way the docs tests need it: files, code, prose. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Tracked and new (not ignored) files of the repository, relative to its root. */
export function repoFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.split('\n').filter((f) => f && !f.startsWith('node_modules/'));
}

/** Every Markdown page of the repository. */
export function markdownFiles(): string[] {
  return repoFiles().filter((f) => f.endsWith('.md'));
}

/** The user-facing pages: the README and docs/. */
export function userDocs(): string[] {
  return markdownFiles().filter((f) => f === 'README.md' || f.startsWith('docs/'));
}

export function read(file: string): string {
  return readFileSync(`${ROOT}${file}`, 'utf8');
}

/** The lines of fenced code blocks, continuation lines (`\`) joined. */
export function codeBlockLines(text: string): string[] {
  const blocks = [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'));
}

/** The text outside fenced code blocks. */
export function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
}

/** Inline code spans of the prose (tables included). */
export function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}
