/**
 * A transient failure: 5xx, connection reset, timeout, or a malformed/truncated JSON body on a 200.
 * The client retries these itself; callers see one only once the attempts are exhausted.
 */
export class RetryableError extends Error {
  static readonly code = 'retryable';
  readonly code = RetryableError.code;
  /** HTTP status when the server answered; undefined for network failures and timeouts. */
  readonly status: number | undefined;
  /** Attempts made before giving up (set on the error the client finally throws). */
  readonly attempts: number;

  constructor(message: string, opts: { status?: number; attempts?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
    this.status = opts.status;
    this.attempts = opts.attempts ?? 1;
  }
}
