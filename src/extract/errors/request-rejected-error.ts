/**
 * Puffle refused this request (400/403/404/422, or an `error.code` meaning the same): not retried.
 * A 404 on a child partition means the parent row vanished since it was read — not fatal.
 */
export class RequestRejectedError extends Error {
  static readonly code = 'request_rejected';
  readonly code = RequestRejectedError.code;
  readonly status: number;
  /** Puffle's own `error.code`, when it sent one. */
  readonly apiCode: string | undefined;

  constructor(message: string, opts: { status: number; apiCode?: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.status = opts.status;
    this.apiCode = opts.apiCode;
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.apiCode === 'not_found';
  }
}
