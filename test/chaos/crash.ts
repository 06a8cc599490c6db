/**
 * Whether a process's stderr shows a crash (an unhandled error's stack printed by Node). Pino's
 * JSON lines are left out: logged errors carry their `stack` on purpose, node:internal frames
 * included, and a logged error is a handled one.
 */
const CRASH = /Unhandled|node:internal|^\s+at /;

/** The plain (non-JSON) stderr lines from the first sign of a crash on, or undefined for none. */
export function crashEvidence(stderr: string): string | undefined {
  const plain = stderr.split('\n').filter((line) => !line.startsWith('{'));
  const first = plain.findIndex((line) => CRASH.test(line));
  if (first < 0) return undefined;
  return plain
    .slice(Math.max(0, first - 4), first + 8)
    .join('\n')
    .slice(0, 1200);
}
