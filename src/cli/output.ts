/**
 * What the CLI prints on stdout (tables, `--json`, one-line results): always through
 * `redactSecrets`, so an error message that carries a secret is scrubbed here too.
 */
import { redactSecrets } from '../log.ts';

export function printOut(text: string): void {
  process.stdout.write(`${redactSecrets(text)}\n`);
}

export function printJson(value: unknown): void {
  printOut(JSON.stringify(value));
}
