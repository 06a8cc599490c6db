/**
 * What is shown and stored of an error: its stable code, its class and one line, with secrets
 * redacted (this is what reaches sync_runs, BullMQ failure reasons, summaries and `--json`).
 * Callers branch on `code` only: our error classes each carry one (`AuthRejectedError.code`), a
 * driver error keeps its own (a SQLSTATE, `ECONNRESET`), anything else is UNCODED. Drizzle wraps
 * driver errors (DrizzleQueryError: "Failed query: <sql> params: <every bound value>", thousands
 * of record values on a page), so the driver's own error (the `cause`) is used instead.
 */
import { DrizzleQueryError } from 'drizzle-orm';
import { redactSecrets } from './log.ts';

/** The code of an error that brings none of its own (a TypeError, a bare Error). */
export const UNCODED = 'error';

export interface ErrorSummary {
  code: string;
  name: string;
  message: string;
}

export function errorSummary(err: unknown): ErrorSummary {
  if (!(err instanceof Error)) return { code: UNCODED, name: 'Error', message: firstLine(String(err)) };
  const cause = err.cause;
  if (err instanceof DrizzleQueryError && cause instanceof Error) {
    return {
      code: errorCodeOf(cause),
      name: cause.name === 'Error' ? err.name : cause.name,
      message: firstLine(cause.message),
    };
  }
  return { code: errorCodeOf(err), name: err.name, message: firstLine(err.message) };
}

/** The error's own `code` when it is a plain token (ours, a SQLSTATE, a Node or BullMQ code). */
export function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string' && typeof code !== 'number') return UNCODED;
  const text = String(code);
  return /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : UNCODED;
}

/** Redacted before it is cut, so a secret straddling the cut never leaves a fragment behind. */
function firstLine(text: string): string {
  return (redactSecrets(text).split('\n')[0] ?? '').trim().slice(0, 500);
}
