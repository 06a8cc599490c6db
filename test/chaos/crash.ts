/**
 * Whether a process's stderr shows a crash (an unhandled error's stack printed by Node). Pino's
 * JSON lines are left out: logged errors carry their `stack` on purpose, node:internal frames
 * included, and a logged error is a handled one.
 */
export function crashed(stderr: string): boolean {
  const plain = stderr
    .split('\n')
    .filter((line) => !line.startsWith('{'))
    .join('\n');
  return /Unhandled|node:internal|\n\s+at /.test(plain);
}
