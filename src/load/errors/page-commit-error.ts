/**
 * A page could not be committed (the transaction rolled back: no rows, no checkpoint). The message
 * names the stream and partition and carries the database's own message, not the failed SQL and
 * its parameters (which can hold thousands of record values); the driver error is `cause`.
 */
export class PageCommitError extends Error {
  static readonly code = 'page_commit_failed';
  readonly code = PageCommitError.code;
  readonly stream: string;
  readonly partition: string;
  constructor(stream: string, partition: string, cause: unknown) {
    super(
      `could not commit a page of ${stream}${partition ? `/${partition}` : ''}: ${databaseMessage(cause)}`,
      {
        cause,
      },
    );
    this.name = this.constructor.name;
    this.stream = stream;
    this.partition = partition;
  }
}

function databaseMessage(err: unknown): string {
  // Drizzle wraps the driver error ("Failed query: <sql> params: …"); the driver's message is the useful part.
  const inner = (err as { cause?: unknown })?.cause ?? err;
  const message = inner instanceof Error ? inner.message : String(inner);
  return message.split('\n')[0] ?? message;
}
