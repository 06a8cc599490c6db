/**
 * What is shown and stored of an error: its class and one line. Drizzle wraps driver errors as
 * "Failed query: <sql> params: <every bound value>" — thousands of record values on a page — so
 * the driver's own message (the `cause`) is used instead.
 */
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

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).trim().slice(0, 500);
}
