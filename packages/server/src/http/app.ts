import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { FleetError, type ErrorCode } from '../errors.js';
import type { FleetContext } from './context.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { registerDebugRoutes } from './debug-routes.js';
import { registerFlagRoutes } from './flag-routes.js';
import { registerIngestRoutes } from './ingest-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { createCors } from './cors.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * Builds the Fastify app: JSON errors with stable codes and no stack trace, secure headers, CORS
 * for the configured origins only (see addCors), rate limits, and request logs that never carry a token, a key or
 * a query string.
 */
export async function buildApp(context: FleetContext, logger: FastifyBaseLogger | boolean, trustProxy: TrustProxy = false): Promise<FastifyInstance> {
  const limits = context.limits;
  const app = Fastify({
    // request.ip, and with it the per-address rate limits, comes from X-Forwarded-For only from the
    // proxies named here: trusting any sender would let every client pick its own bucket.
    trustProxy: fastifyTrustProxy(trustProxy),
    loggerInstance: typeof logger === 'boolean' ? undefined : logger,
    logger: typeof logger === 'boolean' ? logger : undefined,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    bodyLimit: 64 * 1024,
    // Fastify's own request log would print the URL, and with it `?key=`: ours prints the route only.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = limits.headersTimeoutMs;

  // One synchronous hook for every answer's fixed headers: each hook a request passes through costs
  // measurably on the config route, which the whole fleet reads.
  const cors = createCors(context.allowedOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    cors.apply(request, reply);
    done();
  });
  if (logger !== false) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info({ method: request.method, path: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
      done();
    });
  }
  app.setErrorHandler((error: FastifyError | FleetError, request, reply) => {
    const fleet = toFleetError(error);
    if (fleet.status >= 500) request.log.error({ err: { message: error.message, code: (error as FastifyError).code } }, 'request failed');
    if (fleet.retryAfterSeconds !== undefined) void reply.header('retry-after', String(fleet.retryAfterSeconds));
    return reply.status(fleet.status).send(fleet.toBody());
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(new FleetError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toBody()));

  cors.register(app);
  await app.register(rateLimit, {
    global: false,
    // The x-ratelimit-* headers only on a 429 (with retry-after): on every answer they cost bytes
    // each of the fleet's config reads and beacons pays for, and clients do not pace themselves by them.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_request, context) => {
      const error = new FleetError('RATE_LIMITED', `too many requests: at most ${context.max} per minute; retry in ${Math.ceil(context.ttl / 1000)} s`, undefined, Math.ceil(context.ttl / 1000));
      return Object.assign(error, { statusCode: 429 });
    },
  });
  // Beacons send text/plain (no CORS preflight): the body is JSON all the same.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new FleetError('INVALID_BODY', 'the body is not valid JSON'), undefined);
    }
  });

  registerOpsRoutes(app, context);
  registerFlagRoutes(app, context);
  registerIngestRoutes(app, context);
  registerDebugRoutes(app, context);
  registerDashboardRoutes(app, context);
  return app;
}

/** Which proxies' X-Forwarded-For is believed: how many hops, or their addresses/CIDRs; false (the default) for none. */
export type TrustProxy = false | number | string | readonly string[];

/** TrustProxy as Fastify takes it: a hop count as the function Fastify makes of one (its typings leave numbers out). */
function fastifyTrustProxy(trustProxy: TrustProxy): boolean | string | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return typeof trustProxy === 'object' ? [...trustProxy] : trustProxy;
}

/** Any error as the API's error: Fastify's own (body too large, bad JSON, unsupported type) by status; anything unexpected is INTERNAL with no detail. */
export function toFleetError(error: unknown): FleetError {
  if (error instanceof FleetError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  const byStatus: Partial<Record<number, ErrorCode>> = { 400: 'INVALID_BODY', 413: 'BODY_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
  const code = status === undefined ? undefined : byStatus[status];
  if (code === 'BODY_TOO_LARGE') return new FleetError(code, 'the body is larger than this endpoint takes');
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return new FleetError(code, 'send application/json (or text/plain holding JSON)');
  if (code !== undefined) return new FleetError(code, code === 'INVALID_BODY' ? 'the body is not valid JSON' : 'too many requests');
  return new FleetError('INTERNAL', 'internal error: it is logged on the server');
}
