/** An HTTP error response the simulator sends with Puffle's error envelope. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'not_found'
  | 'invalid_request'
  | 'rate_limited'
  | 'conflict'
  | 'internal_error'
  | 'bad_gateway'
  | 'service_unavailable'
  | 'method_not_allowed';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

export const invalid = (message: string) => new ApiError(400, 'invalid_request', message);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
