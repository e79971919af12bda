import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FleetError } from '../errors.js';
import { fleetSeries } from '../series.js';
import { hashToken } from '../tokens.js';
import { authorize, presentedToken, stillAuthorized } from './auth.js';
import type { FleetContext } from './context.js';
import { dashboardPage, type DashboardPage } from './dashboard-page.js';
import { flagParam, servedOrThrow } from './flag-routes.js';
import type { PageAssets } from './page-assets.js';

/**
 * The operator's dashboard: the page at `/` and its modules under `/assets/` (only those the page
 * imports), the admin pages' live stream, and the time series its charts draw. The page itself is
 * public; everything it shows comes from admin routes that take the token in a header.
 */
export function registerDashboardRoutes(app: FastifyInstance, context: FleetContext): void {
  const perAddress = { rateLimit: { max: context.limits.publicPerMinute, timeWindow: 60_000 } };
  const perToken = { rateLimit: { max: context.limits.adminPerMinute, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => hashToken(presentedToken(request) ?? request.ip).slice(0, 24) } };
  // Collected on first use (a server that nobody opens the page of never walks node_modules), and
  // again after a failure, so building the elements while the server runs brings the page up.
  let collected: { assets: PageAssets; page: DashboardPage } | null = null;
  const load = () => {
    if (collected !== null) return collected;
    try {
      const assets = context.pageAssets();
      collected = { assets, page: dashboardPage(assets) };
      return collected;
    } catch (error) {
      throw new FleetError('UNAVAILABLE', `the dashboard cannot be served: ${(error as Error).message}`);
    }
  };

  app.get('/', { config: perAddress }, async (_request, reply) => {
    const { page } = load();
    return reply.header('content-security-policy', page.csp).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page.html);
  });

  app.get('/assets/*', { config: perAddress }, async (request, reply) => {
    const file = load().assets.files.get(request.url.split('?')[0]!);
    if (file === undefined) throw new FleetError('NOT_FOUND', 'no such asset');
    return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(await readFile(file));
  });

  app.get('/v1/admin/stream', { config: perToken }, async (request, reply) => {
    authorize(context.tokens, request, ['admin']);
    const release = context.streamSlots.take();
    const headers = Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));
    reply.hijack();
    context.feed.open(reply.raw, headers, { live: stillAuthorized(context.tokens, request), release });
  });

  app.get('/v1/flags/:flag/series', { config: perToken }, async (request) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    const served = servedOrThrow(context, flag);
    const points = Number((request.query as Record<string, unknown> | undefined)?.points ?? 24);
    if (!Number.isInteger(points) || points < 1 || points > 288) throw new FleetError('BAD_REQUEST', 'points: expected an integer from 1 to 288');
    return fleetSeries(context.store, served.version.config, context.now(), points);
  });
}
