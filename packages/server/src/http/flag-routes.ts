import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FleetError } from '../errors.js';
import { flagActionSchema, flagPutSchema } from '../flag-document.js';
import { versionView } from './version-view.js';
import { etagMatches, type FlagAction, type ServedFlag } from '../flags.js';
import { hashToken } from '../tokens.js';
import { newWebhookSecret } from '../webhooks.js';
import { authorize, presentedToken, stillAuthorized } from './auth.js';
import { parseBody } from './body.js';
import type { FleetContext } from './context.js';

const FLAG_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const ACTIONS: Record<string, FlagAction> = { kill: 'kill', promote: 'promote', rollback: 'rollback', pause: 'pause', resume: 'resume', abort: 'abort' };
const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(2000),
  secret: z.string().min(16, { error: 'expected a signing secret of at least 16 characters' }).max(200).optional(),
});

/** The routes of flags: serving configs (ETag, SSE) and changing them (admin), their history, windows and webhooks. */
export function registerFlagRoutes(app: FastifyInstance, context: FleetContext): void {
  const perAddress = { rateLimit: { max: context.limits.publicPerMinute, timeWindow: 60_000 } };
  // Admin limits count per token (hashed: the limiter's keys never hold a secret), so one busy script does not lock out the on-call person's browser.
  const perToken = { rateLimit: { max: context.limits.adminPerMinute, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => hashToken(presentedToken(request) ?? request.ip).slice(0, 24) } };

  app.get('/v1/flags/:flag', { config: perAddress }, async (request, reply) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['client', 'admin'], flag);
    const served = servedOrThrow(context, flag);
    void reply.header('etag', served.etag).header('cache-control', 'no-cache');
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && etagMatches(ifNoneMatch, served.etag)) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(served.body);
  });

  app.get('/v1/flags/:flag/stream', { config: perAddress }, async (request, reply) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['client', 'admin'], flag);
    const served = servedOrThrow(context, flag);
    const release = context.streamSlots.take();
    const lastEventId = request.headers['last-event-id'];
    const headers = Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));
    reply.hijack();
    context.streams.open(reply.raw, served, typeof lastEventId === 'string' ? lastEventId : undefined, headers, { live: stillAuthorized(context.tokens, request), release });
  });

  app.get('/v1/flags', { config: perToken }, async (request) => {
    authorize(context.tokens, request, ['admin']);
    return { flags: context.flags.all().map((served) => versionView(served.version, served.etag)) };
  });

  app.put('/v1/flags/:flag', { config: perToken, bodyLimit: 4 * 1024 * 1024 }, async (request, reply) => {
    const flag = flagParam(request);
    const token = authorize(context.tokens, request, ['admin']);
    const body = parseBody(flagPutSchema, request.body);
    const { served, changed } = await context.flags.put(flag, body.config, body.settings, { actor: token.name, reason: body.reason, ifMatch: ifMatch(request) });
    return reply.status(served.version.version === 1 && changed ? 201 : 200).header('etag', served.etag).send(versionView(served.version, served.etag));
  });

  app.post('/v1/flags/:flag/:action', { config: perToken }, async (request, reply) => {
    const flag = flagParam(request);
    const action = ACTIONS[(request.params as { action: string }).action];
    if (action === undefined) throw new FleetError('NOT_FOUND', `no action "${(request.params as { action: string }).action}": expected one of ${Object.keys(ACTIONS).join(', ')}`);
    const token = authorize(context.tokens, request, ['admin']);
    const body = parseBody(flagActionSchema, request.body ?? undefined);
    const { served, changed } = await context.flags.act(flag, action, { actor: token.name, reason: body?.reason, ifMatch: ifMatch(request) });
    return reply.header('etag', served.etag).send({ changed, ...versionView(served.version, served.etag) });
  });

  app.get('/v1/flags/:flag/history', { config: perToken }, async (request) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    servedOrThrow(context, flag);
    const versions = await context.store.history(flag, limitParam(request, 100, 1000));
    return { flag, versions: versions.map((version) => versionView(version)) };
  });

  app.get('/v1/flags/:flag/windows', { config: perToken }, async (request) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    servedOrThrow(context, flag);
    return { flag, windows: await context.store.recentWindows(flag, limitParam(request, 50, 1000)) };
  });

  app.get('/v1/flags/:flag/webhooks', { config: perToken }, async (request) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    // The secret is shown once, when the webhook is made; never again.
    return { flag, webhooks: (await context.store.webhooks(flag)).map(({ id, url, createdAt }) => ({ id, url, createdAt: new Date(createdAt).toISOString() })) };
  });

  app.post('/v1/flags/:flag/webhooks', { config: perToken }, async (request, reply) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    servedOrThrow(context, flag);
    const body = parseBody(webhookSchema, request.body);
    const record = { id: `wh_${randomUUID()}`, flag, url: body.url, secret: body.secret ?? newWebhookSecret(), createdAt: context.now() };
    await context.store.insertWebhook(record);
    return reply.status(201).send({ id: record.id, url: record.url, secret: record.secret, createdAt: new Date(record.createdAt).toISOString() });
  });

  app.delete('/v1/flags/:flag/webhooks/:id', { config: perToken }, async (request, reply) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    if (!(await context.store.deleteWebhook(flag, (request.params as { id: string }).id))) throw new FleetError('NOT_FOUND', 'no such webhook on this flag');
    return reply.status(204).send();
  });

  app.get('/v1/flags/:flag/deliveries', { config: perToken }, async (request) => {
    const flag = flagParam(request);
    authorize(context.tokens, request, ['admin']);
    return { flag, deliveries: await context.store.deliveries(flag, limitParam(request, 100, 1000)) };
  });
}

/** The :flag parameter, checked. */
export function flagParam(request: FastifyRequest): string {
  const flag = (request.params as { flag: string }).flag;
  if (!FLAG_NAME.test(flag)) throw new FleetError('BAD_REQUEST', 'a flag name is 1 to 100 letters, digits, dots, dashes or underscores');
  return flag;
}

/** The flag in force, or a 404. */
export function servedOrThrow(context: FleetContext, flag: string): ServedFlag {
  const served = context.flags.get(flag);
  if (served === undefined) throw new FleetError('NOT_FOUND', `no flag "${flag}"`);
  return served;
}

function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];
  return typeof header === 'string' ? header : undefined;
}

/** `?limit=`, an integer from 1 to max (default `fallback`). */
export function limitParam(request: FastifyRequest, fallback: number, max: number): number {
  const value = Number((request.query as Record<string, unknown> | undefined)?.limit ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new FleetError('BAD_REQUEST', `limit: expected an integer from 1 to ${max}`);
  return value;
}
