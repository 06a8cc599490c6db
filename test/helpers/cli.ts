/** Runs the real CLI (`bin/puffle-sync.js`) as a child process, the way users run it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/puffle-sync.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Run as this user (and group): a root test runner checking what an ordinary user sees. */
  uid?: number;
}

/** The CLI processes started here and not yet exited. */
const live = new Set<ChildProcess>();

/** SIGKILLs every CLI process still running: for a runner stopped before its scenarios ended. */
export function killLiveClis(): void {
  for (const child of live) child.kill('SIGKILL');
}

export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  opts: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  opts: CliOptions = {},
): Promise<CliResult> {
  return startCli(args, env, opts).done;
}
