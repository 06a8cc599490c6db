/** Something a probe or scrape waited for did not answer in time (withTimeout). */
export class TimeoutError extends Error {
  static readonly code = 'timeout';
  readonly code = TimeoutError.code;

  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = this.constructor.name;
  }
}
