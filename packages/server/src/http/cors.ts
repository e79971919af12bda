import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'content-type, if-none-match, last-event-id',
  'access-control-max-age': '600',
};

/** CORS for the configured app origins (see createCors). */
export interface Cors {
  /** Adds the CORS headers a request's Origin earns (none for an origin not allowed). */
  apply(request: FastifyRequest, reply: FastifyReply): void;
  /** Answers preflight requests (OPTIONS). */
  register(app: FastifyInstance): void;
}

/**
 * CORS for the configured app origins: an exact match of the Origin header (no wildcards, no
 * credentials: clients send a key, not cookies). Beacons and config reads from those pages get
 * `access-control-allow-origin`; any other origin gets no CORS header, so its page cannot read the
 * answer; with no origin configured, nothing is added (same origin only). A set lookup per request:
 * @fastify/cors's general matching cost a quarter of the config route's throughput in
 * `npm run bench:server`.
 */
export function createCors(origins: readonly string[]): Cors {
  const allowed = new Set(origins);
  const allowedOrigin = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    return origin !== undefined && allowed.has(origin) ? origin : undefined;
  };
  return {
    apply(request, reply) {
      if (allowed.size === 0) return;
      void reply.header('vary', 'origin'); // caches must not serve one origin's answer to another
      const origin = allowedOrigin(request);
      if (origin !== undefined) void reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'etag, retry-after');
    },
    register(app) {
      if (allowed.size === 0) return;
      app.options('*', async (request, reply) => {
        if (allowedOrigin(request) !== undefined && request.headers['access-control-request-method'] !== undefined) void reply.headers(PREFLIGHT_HEADERS);
        return reply.status(204).send();
      });
    },
  };
}
