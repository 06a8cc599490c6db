import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  commit: string;
  date: string;
  loadAverage: string;
}

export function describeMachine(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { encoding: 'utf8' });
    if (dirty.trim()) commit += ' (+ uncommitted changes in src/ or bench/)';
  } catch {}
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    commit,
    date: new Date().toISOString(),
    loadAverage: loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  };
}
