/**
 * What is shown and stored of an error: its class and one line, with secrets redacted (this is
 * what reaches sync_runs, BullMQ failure reasons, summaries and `--json`). Drizzle wraps driver
 * errors as "Failed query: <sql> params: <every bound value>" — thousands of record values on a
 * page — so the driver's own message (the `cause`) is used instead.
 */
import { redactSecrets } from './log.ts';

export interface ErrorSummary {
  name: string;
  message: string;
}

export function errorSummary(err: unknown): ErrorSummary {
  if (!(err instanceof Error)) return { name: 'Error', message: firstLine(String(err)) };
  const cause = err.cause;
  if (err.message.startsWith('Failed query:') && cause instanceof Error) {
    return { name: cause.name === 'Error' ? err.name : cause.name, message: firstLine(cause.message) };
  }
  return { name: err.name, message: firstLine(err.message) };
}

/** Redacted before it is cut, so a secret straddling the cut never leaves a fragment behind. */
function firstLine(text: string): string {
  return (redactSecrets(text).split('\n')[0] ?? '').trim().slice(0, 500);
}
