import type { FastifyInstance } from 'fastify';
import { fleetBatchSchema, type FleetBatch } from '@semfilter/core/metrics';
import { FleetError } from '../errors.js';
import { authorize } from './auth.js';
import type { FleetContext } from './context.js';
import { parseBody } from './body.js';

/** What a beacon may carry (navigator.sendBeacon refuses more, so a larger body is no client of ours). */
export const INGEST_BODY_LIMIT = 64 * 1024;

/**
 * POST /v1/metrics?key=<client key>: clients' metric snapshots. Accepts application/json (fetch
 * with keepalive) and text/plain (sendBeacon, which cannot set headers and must not trigger a CORS
 * preflight). Every snapshot must be for the key's flag (else 400 FOREIGN_FLAG); each id is
 * counted once, so retries are safe. The schema is strict and holds numbers and random ids only: a
 * user id, an item or a tag has nowhere to go, and a body that tries is refused whole (400, nothing
 * stored).
 */
export function registerIngestRoutes(app: FastifyInstance, context: FleetContext): void {
  const perAddress = { rateLimit: { max: context.limits.publicPerMinute, timeWindow: 60_000 } };
  app.post('/v1/metrics', { config: perAddress, bodyLimit: INGEST_BODY_LIMIT }, async (request, reply) => {
    const token = authorize(context.tokens, request, ['client']);
    let batch: FleetBatch;
    try {
      batch = parseBody(fleetBatchSchema, request.body);
    } catch (error) {
      context.metrics.ingested.inc({ result: 'rejected' });
      throw error;
    }
    const foreign = batch.snapshots.findIndex((snapshot) => snapshot.flag !== token.flag);
    if (foreign !== -1) {
      context.metrics.ingested.inc({ result: 'rejected' }, batch.snapshots.length);
      // 400, not 403: a reporter keeps a batch refused with 401/403 (a key that may be fixed) and
      // drops one refused with 400; this batch can never succeed, whatever the key.
      throw new FleetError('FOREIGN_FLAG', `body.snapshots[${foreign}].flag: this client key reports for "${token.flag}" only`);
    }
    // A store that does not answer is a 503 with Retry-After (see answeringUnavailable): the
    // reporter keeps the snapshots and resends them, and their ids make the resend count once.
    const result = await context.store.ingest(batch.snapshots, context.now());
    context.metrics.ingested.inc({ result: 'accepted' }, result.accepted);
    if (result.accepted > 0) context.feed.ingested(token.flag!);
    if (result.duplicates > 0) context.metrics.ingested.inc({ result: 'duplicate' }, result.duplicates);
    return reply.status(202).send(result);
  });
}
