/**
 * Puffle asked us to wait longer than the configured ceiling (`maxRateLimitWaitMs`). The stream
 * stops instead of hanging a worker; the caller resumes from its last committed page at `retryAt`.
 */
export class RateLimitedError extends Error {
  static readonly code = 'rate_limited';
  readonly code = RateLimitedError.code;
  /** Epoch ms at which Puffle will accept requests again. */
  readonly retryAt: number;

  constructor(message: string, opts: { retryAt: number; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.retryAt = opts.retryAt;
  }
}
