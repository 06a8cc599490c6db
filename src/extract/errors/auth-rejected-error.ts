/** Puffle rejected the API key (401, or `error.code` "unauthorized"): fatal for the whole run, never retried. */
export class AuthRejectedError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, opts: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.status = opts.status ?? 401;
    this.code = opts.code;
  }
}
