/** Error codes a client can act on; the HTTP layer maps each to one status. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  forum_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  queue_unavailable: 503,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** For `rate_limited`: the seconds a client should wait, sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }
}
