import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { comparisonExport, filterItems, filterOptionsSchema, parseWardrobe, parseWith, requestSchema, type Embedder, type FilterRequest, type InputIssue } from '@semfilter/core';
import { FleetError } from '../errors.js';
import { hashToken } from '../tokens.js';
import { authorize, presentedToken } from './auth.js';
import type { FleetContext } from './context.js';

/** The most a debug request may carry: a few thousand items with their tags. */
export const DEBUG_BODY_LIMIT = 2 * 1024 * 1024;
const bodySchema = z.strictObject({ items: z.unknown(), request: z.unknown(), options: z.unknown().optional() });

/**
 * POST /v1/debug/filter (debug or admin token): the seeds' protected debug endpoint. Takes items, a
 * request and options; answers both reports (traditional and semantic, with the server's real
 * model) and the items whose verdict flips. Bad input is a 400 whose issues carry the library's
 * paths (`items[3].style`, `request.mood`).
 */
export function registerDebugRoutes(app: FastifyInstance, context: FleetContext): void {
  const perToken = { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => hashToken(presentedToken(request) ?? request.ip).slice(0, 24) } };
  app.post('/v1/debug/filter', { config: perToken, bodyLimit: DEBUG_BODY_LIMIT }, async (request) => {
    authorize(context.tokens, request, ['debug', 'admin']);
    const body = bodySchema.safeParse(request.body);
    if (!body.success) throw new FleetError('INVALID_BODY', 'expected { items, request, options? }', body.error.issues.map((issue) => ({ path: issue.path.length ? String(issue.path[0]) : 'body', message: issue.message })));
    const issues: InputIssue[] = [];
    const items = parseWardrobe(body.data.items);
    if (!items.ok) issues.push(...items.issues);
    else if (items.value.length > context.debugMaxItems) issues.push({ path: 'items', message: `expected at most ${context.debugMaxItems} items (received ${items.value.length})` });
    const filterRequest = parseWith(requestSchema, body.data.request ?? {}, 'request');
    if (!filterRequest.ok) issues.push(...filterRequest.issues);
    const options = parseWith(filterOptionsSchema, body.data.options ?? {}, 'options');
    if (!options.ok) issues.push(...options.issues);
    if (!items.ok || !filterRequest.ok || !options.ok || issues.length > 0) throw new FleetError('INVALID_BODY', 'the items, request or options are not valid', issues.slice(0, 50));
    let embedder: Embedder | undefined;
    if (context.embedder !== null) {
      try {
        embedder = await context.embedder();
      } catch (error) {
        // The semantic report then says MODEL_UNAVAILABLE, as a browser's would; the operator learns why here.
        request.log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'the model for the debug endpoint could not be loaded');
        embedder = undefined;
      }
    }
    const traditional = await filterItems(items.value, filterRequest.value, { ...options.value, semantic: false });
    const semantic = await filterItems(items.value, filterRequest.value, { ...options.value, semantic: true }, { embedder });
    const exported = comparisonExport({ request: filterRequest.value as FilterRequest, traditional, semantic, now: new Date(context.now()) });
    return { request: exported.request, thresholds: exported.thresholds, traditional, semantic, flips: exported.flips };
  });
}
