/** Another unit of the same run saw Puffle reject the API key: this one stops before calling Puffle. */
export class RunAbortedError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = this.constructor.name;
  }
}
