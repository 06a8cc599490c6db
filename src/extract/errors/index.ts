export { AuthRejectedError } from './auth-rejected-error.ts';
export { PaginationError, type PaginationReason } from './pagination-error.ts';
export { RateLimitedError } from './rate-limited-error.ts';
export { RequestRejectedError } from './request-rejected-error.ts';
export { ResponseTooLargeError } from './response-too-large-error.ts';
export { RetryableError } from './retryable-error.ts';
export { UnsafeEndpointError } from './unsafe-endpoint-error.ts';
export { UnsafePartitionIdError } from './unsafe-partition-id-error.ts';
