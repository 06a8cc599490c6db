/**
 * How the embedded PGlite is started, for memory (issue 16, figure 6; bench/README.md has the
 * measurements):
 * - A new data directory is filled from a template made by the same PGlite version
 *   (`pglite-template/`, `npm run pglite:template`) instead of running initdb. PGlite's initdb
 *   starts a second PGlite and an initdb WASM module next to the first and copies the whole WASM
 *   heap around: ≈ 750 MB peak RSS, and ≈ 370 MB of it is never given back to the process.
 *   Without a template for the installed version, initdb runs as before.
 * - shared_buffers is 16 MB, not initdb's 128 MB. In single-user PGlite the buffer pool lives in
 *   the WASM heap, which never shrinks; the pages are also in the operating system's file cache,
 *   so a large pool only holds every page twice.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { unpackTemplate } from './pglite-template.ts';

/** Postgres settings of the embedded database (command-line `-c`, so they win over postgresql.conf). */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
};

const TEMPLATE_DIR = new URL('./pglite-template/', import.meta.url);

/** The installed PGlite's version: a template made by another version is not used. */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(main, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function templatePath(version = pgliteVersion()): string {
  return new URL(`pgdata-${version}.tar.gz`, TEMPLATE_DIR).pathname;
}

function isEmptyOrMissing(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return !existsSync(dir);
  }
}

/** Opens (creating when new) the PGlite database in `pgdata`. */
export async function createPglite(pgdata: string): Promise<PGlite> {
  const options: PGliteOptions = {
    startParams: [
      ...PGlite.defaultStartParams,
      ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
  };
  const template = templatePath();
  if (isEmptyOrMissing(pgdata) && existsSync(template)) {
    // Unpacked beside it and renamed into place: a crash midway never leaves a half database.
    const staging = `${pgdata}.new`;
    rmSync(staging, { recursive: true, force: true });
    await unpackTemplate(template, staging);
    rmSync(pgdata, { recursive: true, force: true });
    renameSync(staging, pgdata);
  }
  return PGlite.create(pgdata, options);
}
