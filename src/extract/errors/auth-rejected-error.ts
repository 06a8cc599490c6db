/** Puffle rejected the API key (401, or `error.code` "unauthorized"): fatal for the whole run, never retried. */
export class AuthRejectedError extends Error {
  static readonly code = 'auth_rejected';
  readonly code = AuthRejectedError.code;
  readonly status: number;
  /** Puffle's own `error.code`, when it sent one. */
  readonly apiCode: string | undefined;

  constructor(message: string, opts: { status?: number; apiCode?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.status = opts.status ?? 401;
    this.apiCode = opts.apiCode;
  }
}
