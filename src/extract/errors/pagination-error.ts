/**
 * A walk that cannot be trusted to end or to be complete: a repeated cursor, pages past `total`,
 * a server that ignores the page parameter, or a response without the records array.
 */
export class PaginationError extends Error {
  readonly stream: string;

  constructor(stream: string, message: string, opts: { cause?: unknown } = {}) {
    super(`${stream}: ${message}`, { cause: opts.cause });
    this.name = this.constructor.name;
    this.stream = stream;
  }
}
