/**
 * `PUFFLE_API_KEY_FILE` and friends: a secret read from a file (Docker and Kubernetes mount
 * secrets as files, which keeps them out of `docker inspect`, `ps` and the environment of child
 * processes). Surrounding whitespace — the trailing newline of `echo key > file` — is dropped.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from './config-error.ts';

const MAX_BYTES = 16 * 1024;

export function readSecretFile(name: string, path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ConfigError(`${name} must name a file; ${path} is not a regular file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_BYTES)
    throw new ConfigError(`${name}: ${path} is ${size} bytes, more than a secret file holds (${MAX_BYTES})`);
  let content: string;
  try {
    content = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (content === '') throw new ConfigError(`${name}: ${path} is empty`);
  return content;
}
