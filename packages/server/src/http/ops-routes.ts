import type { FastifyInstance } from 'fastify';
import type { FleetContext } from './context.js';

/** /healthz (the process answers), /readyz (it can serve and store: flags loaded, database reachable, not shutting down), /metrics (Prometheus text). */
export function registerOpsRoutes(app: FastifyInstance, context: FleetContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    // Shutdown began (streams refused, deliveries in their grace): a balancer should send new requests elsewhere.
    if (context.streamSlots.closed) return reply.status(503).header('retry-after', '1').send({ status: 'shutting down', store: context.store.kind, reason: 'the server is shutting down' });
    try {
      await context.store.ping();
      return { status: 'ready', store: context.store.kind, flags: context.flags.all().length };
    } catch {
      // Not ready for writes, but configs are still served from memory: a balancer may keep sending reads.
      return reply.status(503).header('retry-after', '5').send({ status: 'unavailable', store: context.store.kind, reason: 'the database does not answer' });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    for (const served of context.flags.all()) context.metrics.served(served);
    return reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics());
  });
}
