/**
 * Unpacks a data-directory template (a gzip'd tar as PGlite's dumpDataDir writes it: directories
 * and regular files, names of at most 255 bytes) into `dir`, streaming: the 40 MB tar never sits
 * in memory whole (PGlite's own loadDataDir holds it three times over, ≈ 120 MB of buffers).
 * Files are written 0600 and directories 0700, as data-dir.ts wants them.
 */
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

export async function unpackTemplate(template: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let pending: Buffer = Buffer.alloc(0);
  let file: { fd: number; left: number; pad: number } | undefined;
  let skip = 0;
  let ended = false;
  for await (const chunk of createReadStream(template).pipe(createGunzip())) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    while (!ended) {
      if (file) {
        const n = Math.min(file.left, pending.length);
        if (n > 0) writeSync(file.fd, pending, 0, n);
        pending = pending.subarray(n);
        file.left -= n;
        if (file.left > 0) break;
        closeSync(file.fd);
        skip = file.pad;
        file = undefined;
      }
      if (skip) {
        const n = Math.min(skip, pending.length);
        pending = pending.subarray(n);
        skip -= n;
        if (skip) break;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const name = entryName(header);
      const path = join(dir, name);
      const type = String.fromCharCode(header[156] ?? 0);
      if (type === '5') {
        mkdirSync(path, { recursive: true, mode: 0o700 });
        continue;
      }
      if (type !== '0' && type !== '\0')
        throw new Error(`template entry ${name}: unsupported tar type ${type}`);
      const size = Number.parseInt(field(header, 124, 12) || '0', 8);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      file = { fd: openSync(path, 'w', 0o600), left: size, pad: (BLOCK - (size % BLOCK)) % BLOCK };
    }
  }
  if (file) closeSync(file.fd);
  if (!ended) throw new Error(`template ${template} is truncated`);
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw
    .subarray(0, end < 0 ? length : end)
    .toString('utf8')
    .trim();
}

/** The entry's path relative to the data directory; nothing may climb out of it. */
function entryName(header: Buffer): string {
  const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar')
    ? field(header, 345, 155)
    : '';
  const name = normalize(`${prefix ? `${prefix}/` : ''}${field(header, 0, 100)}`).replace(/^\/+/, '');
  if (name === '' || name.startsWith('..'))
    throw new Error(`template entry ${name}: outside the data directory`);
  return name;
}
