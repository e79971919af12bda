/** Stable error codes of the HTTP API (add, never rename), each with its status. */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  INVALID_BODY: 400,
  INVALID_CONFIG: 400,
  /** A snapshot names a flag its client key does not report for: the body is wrong, not the key, so a resend cannot succeed. */
  FOREIGN_FLAG: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_MISMATCH: 412,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

/** One of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An input issue: a path as the library writes them (`config.stages[2]`) and what was expected. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** An error meant for the client: its code, a message safe to show, and the input issues if any. */
export class FleetError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: readonly Issue[],
    /** Seconds a client should wait before retrying (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'FleetError';
    this.status = ERROR_CODES[code];
  }

  /** The JSON body every error answers with. */
  toBody(): { error: { code: ErrorCode; message: string; issues?: readonly Issue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues === undefined ? {} : { issues: this.issues }) } };
  }
}
