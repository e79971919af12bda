import type { ServerResponse } from 'node:http';
import type { FlagService } from '../flags.js';
import type { StoredWindow } from '../store/store.js';
import { versionView } from './version-view.js';
import { pingOrEnd, type StreamLease, type StreamTimings } from './stream.js';

/** Snapshots arrive by the thousand: the feed tells admin pages "new numbers" at most this often per flag. */
const METRICS_EVENT_EVERY_MS = 2000;

/**
 * The admin pages' live push (GET /v1/admin/stream): every flag's new versions (`event: version`,
 * the version as the history shows it), every judged guardrail window (`event: window`) and, at
 * most every two seconds per flag, that new snapshots came in (`event: metrics`). Each event
 * carries what changed, so a page shows a rollback from the push itself, without a second request.
 */
export class AdminFeed {
  readonly #open = new Set<ServerResponse>();
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #unsubscribe: () => void;

  constructor(
    flags: FlagService,
    readonly timings: StreamTimings,
  ) {
    this.#unsubscribe = flags.subscribe((served) => this.#send('version', versionView(served.version, served.etag)));
  }

  /** Takes over a response as an admin stream; it starts with a `ready` event so the page knows it is live. */
  open(response: ServerResponse, headers: Record<string, string>, lease: StreamLease): void {
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(`retry: ${this.timings.retryMs}\n\nevent: ready\ndata: {}\n\n`);
    const ping = setInterval(() => pingOrEnd(response, lease), this.timings.pingMs);
    const end = setTimeout(() => response.end(), this.timings.maxLifeMs);
    this.#open.add(response);
    response.on('close', () => {
      clearInterval(ping);
      clearTimeout(end);
      this.#open.delete(response);
      lease.release();
    });
  }

  /** A guardrail window was judged. */
  window(flag: string, window: StoredWindow): void {
    this.#send('window', { flag, window });
  }

  /** Snapshots of a flag were counted: announced once the quiet interval has passed. */
  ingested(flag: string): void {
    if (this.#pending.has(flag) || this.#open.size === 0) return;
    const timer = setTimeout(() => {
      this.#pending.delete(flag);
      this.#send('metrics', { flag });
    }, METRICS_EVENT_EVERY_MS);
    timer.unref();
    this.#pending.set(flag, timer);
  }

  /** Ends every stream and pending notice (shutdown). */
  closeAll(): void {
    this.#unsubscribe();
    for (const timer of this.#pending.values()) clearTimeout(timer);
    for (const response of this.#open) response.end();
  }

  #send(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const response of this.#open) write(response, text);
  }
}

/** Writes to a stream that may have closed meanwhile. */
function write(response: ServerResponse, text: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(text);
}
