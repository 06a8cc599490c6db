/**
 * Whether a database failure means "the connection went away" (server restart, failover,
 * pg_terminate_backend, network cut) rather than "this statement is wrong". Only the first kind is
 * worth retrying: the pool opens a fresh connection, and a page commit is idempotent — a rolled
 * back page is simply written again, a page whose COMMIT landed just before the cut is re-upserted
 * as `unchanged` with the same checkpoint.
 */

/** SQLSTATE class 08 (connection exception) and the 57P0x shutdown family. */
const LOST_SQLSTATE = /^(08...|57P01|57P02|57P03)$/;
const LOST_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** node-postgres reports some losses only as messages (no code). */
const LOST_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i;

export function isConnectionLost(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth += 1) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
    if (typeof message === 'string' && LOST_MESSAGE.test(message)) return true;
  }
  return false;
}
