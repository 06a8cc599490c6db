/**
 * `npm run pglite:template`: writes src/load/pglite-template/pgdata-<version>.tar.gz, the freshly
 * initialised data directory of the installed PGlite, from which pglite-open.ts fills a new data
 * directory instead of running initdb in the sync's process. Run it after upgrading PGlite (a test
 * fails until a template for the installed version exists) and delete the old version's file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { templatePath } from '../src/load/pglite-open.ts';

const out = templatePath();
// In memory: initdb's output only, nothing of a host directory.
const pg = await PGlite.create();
try {
  await pg.query('checkpoint');
  const tarball = await pg.dumpDataDir('gzip');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, Buffer.from(await tarball.arrayBuffer()));
  process.stdout.write(`wrote ${out} (${tarball.size} bytes)\n`);
} finally {
  await pg.close();
}
