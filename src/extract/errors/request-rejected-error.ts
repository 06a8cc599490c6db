/**
 * Puffle refused this request (400/403/404/422, or an `error.code` meaning the same): not retried.
 * A 404 on a child partition means the parent row vanished since it was read — not fatal.
 */
export class RequestRejectedError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, opts: { status: number; code?: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.status = opts.status;
    this.code = opts.code;
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.code === 'not_found';
  }
}
