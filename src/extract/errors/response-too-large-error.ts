/**
 * A response body longer than `PUFFLE_MAX_RESPONSE_BYTES`: reading stopped there, so one page can
 * never exhaust the worker's memory. Not retried (the same request gets the same page); the stream
 * fails naming the setting, and its checkpoint is untouched.
 */
export class ResponseTooLargeError extends Error {
  static readonly code = 'response_too_large';
  readonly code = ResponseTooLargeError.code;
  readonly limitBytes: number;

  constructor(label: string, limitBytes: number) {
    super(
      `${label}: response body is larger than ${limitBytes} bytes (PUFFLE_MAX_RESPONSE_BYTES); nothing of it was stored`,
    );
    this.name = this.constructor.name;
    this.limitBytes = limitBytes;
  }
}
