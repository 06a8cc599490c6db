/** Runs bench/child/sync-child.ts and returns what it measured. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SyncChildInput, SyncChildResult } from '../child/sync-child.ts';

const CHILD = fileURLToPath(new URL('../child/sync-child.ts', import.meta.url));

export function syncInChild(input: SyncChildInput): Promise<SyncChildResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`sync child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as SyncChildResult);
    });
  });
}
