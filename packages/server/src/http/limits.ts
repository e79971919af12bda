/** Limits every route has; per-route ones are in the route modules. */
export interface HttpLimits {
  /** The longest a whole request may take, ms (default 30 s). */
  readonly requestTimeoutMs: number;
  /** The longest a client may take to send its headers, ms (default 10 s). */
  readonly headersTimeoutMs: number;
  /** Idle keep-alive, ms: above a load balancer's idle timeout (60 s is common), or it answers 502s (default 72 s). */
  readonly keepAliveTimeoutMs: number;
  /** Requests per minute per client address on the public routes (config reads, streams, ingest). */
  readonly publicPerMinute: number;
  /** Requests per minute per token on the admin and debug routes. */
  readonly adminPerMinute: number;
}

/** The defaults of HttpLimits. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, publicPerMinute: 600, adminPerMinute: 300 };
