import type { Embedder } from '@semfilter/core';
import type { FlagService } from '../flags.js';
import type { FleetMetrics } from '../prometheus.js';
import type { Store } from '../store/store.js';
import type { WebhookDispatcher } from '../webhooks.js';
import type { HttpLimits } from './limits.js';
import type { TokenCache } from './auth.js';
import type { StreamHub } from './stream.js';
import type { AdminFeed } from './admin-feed.js';
import type { StreamSlots } from './stream-slots.js';
import type { PageAssets } from './page-assets.js';

/** What the routes share: the services of one server. */
export interface FleetContext {
  readonly flags: FlagService;
  readonly store: Store;
  readonly tokens: TokenCache;
  readonly metrics: FleetMetrics;
  readonly webhooks: WebhookDispatcher;
  readonly streams: StreamHub;
  /** The admin pages' live push. */
  readonly feed: AdminFeed;
  /** The cap on concurrent streams (config and admin), closed at shutdown. */
  readonly streamSlots: StreamSlots;
  /** Finds the dashboard page's modules (throws when they are not built). */
  readonly pageAssets: () => PageAssets;
  readonly limits: HttpLimits;
  /** Origins allowed to call the public routes from a browser (CORS); empty: same origin only. */
  readonly allowedOrigins: readonly string[];
  /** The model for the debug endpoint, loaded on its first call; null when the server runs without one. */
  readonly embedder: (() => Promise<Embedder>) | null;
  /** The most items one debug request may carry. */
  readonly debugMaxItems: number;
  readonly now: () => number;
}
