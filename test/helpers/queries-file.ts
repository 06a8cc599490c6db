/** docs/queries.sql, split into its named queries. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const QUERIES_PATH = fileURLToPath(new URL('../../docs/queries.sql', import.meta.url));

export interface NamedQuery {
  name: string;
  description: string;
  sql: string;
}

/** Splits the file at `-- name:` lines; the comment lines right after are the description. */
export function parseQueries(text = readFileSync(QUERIES_PATH, 'utf8')): NamedQuery[] {
  const parts = text.split(/^-- name: *(\S+) *$/m).slice(1);
  const out: NamedQuery[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const lines = parts[i + 1]!.split('\n');
    const description = lines
      .filter((l) => l.startsWith('--'))
      .map((l) => l.replace(/^-- ?/, ''))
      .join(' ');
    const sql = lines
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .trim()
      .replace(/;\s*$/, '');
    out.push({ name: parts[i]!, description, sql });
  }
  return out;
}
