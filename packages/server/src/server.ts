import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Embedder } from '@semfilter/core';
import { FleetEvaluator } from './evaluator.js';
import { FlagService, type ChangeOrigin, type ServedFlag } from './flags.js';
import { AdminFeed } from './http/admin-feed.js';
import { buildApp, type TrustProxy } from './http/app.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/limits.js';
import { TokenCache } from './http/auth.js';
import type { FleetContext } from './http/context.js';
import { collectPageAssets, type PageAssets } from './http/page-assets.js';
import { DEFAULT_STREAM_TIMINGS, StreamHub, type StreamTimings } from './http/stream.js';
import { StreamSlots } from './http/stream-slots.js';
import { FleetMetrics } from './prometheus.js';
import type { Store, StoredWindow } from './store/store.js';
import { answeringUnavailable } from './store/unavailable.js';
import { WebhookDispatcher, type Alert } from './webhooks.js';

/** Options of createFleetServer; only the store is required. */
export interface FleetServerOptions {
  readonly store: Store;
  /** Milliseconds clock (inject one to run windows and schedules without waiting). Default Date.now. */
  readonly now?: () => number;
  /** How often the guardrail evaluator looks for closed windows, ms (default 10 s; 0: only when tick() is called). */
  readonly evaluateEveryMs?: number;
  /** Origins whose pages may call the public routes (CORS). Default: none (same origin only). */
  readonly allowedOrigins?: readonly string[];
  readonly limits?: Partial<HttpLimits>;
  /**
   * The reverse proxies in front of the server, whose X-Forwarded-For gives the client's address (for
   * the per-address rate limits): a hop count, or addresses/CIDRs. Default false: the header is
   * ignored, so a client cannot forge its way into a fresh rate-limit bucket.
   */
  readonly trustProxy?: TrustProxy;
  readonly streams?: Partial<StreamTimings>;
  /** Concurrent streams (config and admin together) before new ones get 503 with Retry-After (default 5000). */
  readonly maxStreams?: number;
  /** The model for the debug endpoint, loaded on first use; omit to answer semantic reports with MODEL_UNAVAILABLE. */
  readonly embedder?: () => Promise<Embedder>;
  readonly debugMaxItems?: number;
  /** A pino logger (Fastify's), `false` for none (default), `true` for Fastify's default one. */
  readonly logger?: FastifyBaseLogger | boolean;
  /** fetch for webhook deliveries (default: global fetch); `webhookAttempts` and `webhookBaseDelayMs` tune retries. */
  readonly fetch?: typeof fetch;
  readonly webhookAttempts?: number;
  readonly webhookBaseDelayMs?: number;
  /**
   * How long close() lets webhook deliveries in flight finish, ms (default 5 s, under the CLI's
   * 10 s exit deadline); the ones still undelivered are kept in the store and resumed at the next start.
   */
  readonly shutdownGraceMs?: number;
  /** How long snapshot ids and minute buckets are kept, ms (default 48 h); windows and deliveries 30 days. */
  readonly retentionMs?: number;
  /** Finds the dashboard page's modules; default: `@semfilter/elements/semfilter-fleet-dashboard.js` and its imports, from the installed packages. */
  readonly pageAssets?: () => PageAssets;
}

/** A running fleet server. */
export interface FleetServer {
  readonly app: FastifyInstance;
  readonly flags: FlagService;
  readonly evaluator: FleetEvaluator;
  readonly webhooks: WebhookDispatcher;
  readonly store: Store;
  /** Listens on a port (0: any free one) of a host (default 127.0.0.1); resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Runs the evaluator once now (tests drive time with it). */
  tick(): Promise<void>;
  /** Reads the tokens again now (they are re-read every 10 s, and on a notice from another instance). */
  reloadTokens(): Promise<void>;
  /** Stops evaluating, refuses new streams and ends open ones, gives webhook deliveries their grace (keeping the rest as pending), closes the HTTP server and the store. */
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Starts the services over a migrated store: flags loaded, tokens loaded, evaluator scheduled. */
export async function createFleetServer(options: FleetServerOptions): Promise<FleetServer> {
  const now = options.now ?? Date.now;
  await options.store.migrate();
  const logger = options.logger ?? false;
  const log = (message: string, fields: Record<string, unknown>) => (typeof logger === 'object' ? logger.warn(fields, message) : undefined);
  const store = answeringUnavailable(options.store, log);
  const flags = new FlagService(store, now);
  const metrics = new FleetMetrics();
  const tokens = new TokenCache(store);
  await Promise.all([flags.load(), tokens.reload()]);
  tokens.start(10_000);
  const webhooks = new WebhookDispatcher({ store, now, fetch: options.fetch, attempts: options.webhookAttempts, baseDelayMs: options.webhookBaseDelayMs, log });
  const streamTimings = { ...DEFAULT_STREAM_TIMINGS, ...options.streams };
  const streams = new StreamHub(flags, metrics, streamTimings);
  const feed = new AdminFeed(flags, streamTimings);
  const streamSlots = new StreamSlots(options.maxStreams);
  const evaluator = new FleetEvaluator(flags, store, now, {
    window: (flag, window) => {
      metrics.window(window);
      feed.window(flag, window);
      if (window.result === 'FAIL') webhooks.notify(failWindowAlert(flag, window));
    },
    failed: (flag, error) => log('evaluating a flag failed', { flag, error: error instanceof Error ? error.message : String(error) }),
  });
  flags.subscribe((served, origin) => onNewVersion(served, origin, metrics, webhooks));

  const context: FleetContext = {
    flags,
    store,
    tokens,
    metrics,
    webhooks,
    streams,
    feed,
    streamSlots,
    pageAssets: options.pageAssets ?? (() => collectPageAssets('@semfilter/elements/semfilter-fleet-dashboard.js', dirname(fileURLToPath(import.meta.url)))),
    limits: { ...DEFAULT_HTTP_LIMITS, ...options.limits },
    allowedOrigins: options.allowedOrigins ?? [],
    embedder: options.embedder ?? null,
    debugMaxItems: options.debugMaxItems ?? 5000,
    now,
  };
  const app = await buildApp(context, logger, options.trustProxy);

  // The evaluator and the pruning run on timers that never overlap themselves.
  let ticking: Promise<void> | null = null;
  const tick = () => (ticking ??= evaluator.tick().finally(() => (ticking = null)));
  const retentionMs = options.retentionMs ?? 2 * DAY_MS;
  const every = options.evaluateEveryMs ?? 10_000;
  const timers: ReturnType<typeof setInterval>[] = [];
  const prune = () => store.prune(now() - retentionMs, now() - 30 * DAY_MS).catch((error: unknown) => log('pruning failed', { error: (error as Error).message }));
  if (every > 0) {
    // Once now, then hourly: a server restarted more often than hourly (deploys, crashes) would otherwise never prune.
    await prune();
    timers.push(setInterval(() => void tick().catch((error: unknown) => log('evaluation failed', { error: (error as Error).message })), every));
    timers.push(setInterval(() => void prune(), 60 * 60_000));
  }
  for (const timer of timers) timer.unref();
  // Last, once nothing after them can fail: a watch holds a connection that would keep a failed
  // start's process alive, and resuming takes the kept deliveries out of the store, which a failed
  // start would close under them.
  const stopWatching = await store
    .watch((change) => {
      if (change.kind === 'tokens') void tokens.reload();
      else void (change.flag === '*' ? flags.load() : flags.reload(change.flag)).catch((error: unknown) => log('flag reload failed', { error: (error as Error).message }));
    })
    .catch((error: unknown) => {
      for (const timer of timers) clearInterval(timer);
      tokens.stop();
      throw error;
    });
  webhooks.resume(); // what the last shutdown could not deliver

  return {
    app,
    flags,
    evaluator,
    webhooks,
    store,
    async listen(port = 0, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      return address.replace('[::1]', 'localhost');
    },
    tick,
    reloadTokens: () => tokens.reload(),
    async close() {
      for (const timer of timers) clearInterval(timer);
      tokens.stop();
      // Streams first, and no new ones: an open stream would hold app.close() for its whole life.
      streamSlots.close();
      streams.closeAll();
      feed.closeAll();
      await ticking?.catch(() => undefined);
      // While deliveries get their grace the server still answers (streams with 503), then stops listening.
      await webhooks.stop(options.shutdownGraceMs ?? 5000);
      await app.close();
      // A request that finished during app.close() (a kill switch) may have raised an alert: the
      // stopped dispatcher keeps it in the store, which must still be open.
      await webhooks.settled();
      await stopWatching();
      await store.close();
    },
  };
}

/** A version this instance made: counted, and announced to the flag's webhooks (rollbacks, promotions, kill switches). */
function onNewVersion(served: ServedFlag, origin: ChangeOrigin, metrics: FleetMetrics, webhooks: WebhookDispatcher): void {
  metrics.served(served);
  if (origin !== 'local') return; // the instance that made it announces it, once
  const { version } = served;
  metrics.transitions.inc({ flag: version.flag, action: version.action });
  const event = { kill: 'kill', abort: 'kill', rollback: 'rollback', 'guardrail-rollback': 'rollback', promote: 'promotion', 'scheduled-promotion': 'promotion' } as const;
  const kind = event[version.action as keyof typeof event];
  if (kind === undefined) return;
  const stage = version.config.stages === undefined ? '' : ` (stage ${version.config.stage} of ${version.config.stages.length - 1}: ${Math.round((version.config.stages[version.config.stage ?? 0] ?? 0) * 100)}% of users)`;
  const what = version.config.killSwitch ? 'semantic mode is off for everyone (kill switch)' : `now at version ${version.version}${stage}`;
  webhooks.notify({
    event: kind,
    flag: version.flag,
    text: `${version.action} by ${version.actor}: ${what}${version.reason === null ? '' : ` — ${version.reason}`}`,
    data: { version: version.version, action: version.action, actor: version.actor, reason: version.reason, config: version.config, evidence: version.evidence },
  });
}

function failWindowAlert(flag: string, window: StoredWindow): Alert {
  const failed = window.checks.filter((c) => c.status === 'FAIL').map((c) => c.metric);
  return {
    event: 'fail-window',
    flag,
    text: `guardrail window FAIL at stage ${window.stage} (${failed.join(', ')}; ${window.semanticRuns} semantic runs from ${window.clients} clients)`,
    data: { window },
  };
}
