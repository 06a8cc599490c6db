/** Starts bench/child/sim-child.ts and talks to it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StreamName } from '../../src/extract/streams.ts';
import type { SimulatorOptions } from '../../src/simulator/types.ts';

export interface SimProcess {
  url: string;
  key: string;
  enrichmentRunIds: string[];
  partitions: Record<StreamName, string[]>;
  counts: Record<StreamName, number>;
  requestCount(): Promise<number>;
  resetLog(): Promise<void>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../child/sim-child.ts', import.meta.url));

export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const info = await new Promise<Omit<SimProcess, 'requestCount' | 'resetLog' | 'close'>>(
    (resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d) => {
        buf += d;
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
      });
      child.once('exit', (code) => reject(new Error(`simulator child exited (${code})`)));
    },
  );
  const ask = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.send({ type });
    });
  let closing: Promise<void> | undefined;
  return {
    ...info,
    requestCount: async () => (await ask<{ requestCount: number }>('stats')).requestCount,
    resetLog: async () => void (await ask('reset')),
    close: () => (closing ??= stop(child)),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
