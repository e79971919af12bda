import type { ServerResponse } from 'node:http';
import type { FlagService, ServedFlag } from '../flags.js';
import type { FleetMetrics } from '../prometheus.js';

/** Timings of the config streams. */
export interface StreamTimings {
  /** A comment line this often keeps proxies from closing an idle stream (default 25 s). */
  readonly pingMs: number;
  /** A stream is closed after this long (default 10 min); the client reconnects with Last-Event-ID, which balances streams across instances. */
  readonly maxLifeMs: number;
  /** The reconnection delay the stream suggests to clients (default 2 s). */
  readonly retryMs: number;
}

/** The defaults of StreamTimings. */
export const DEFAULT_STREAM_TIMINGS: StreamTimings = { pingMs: 25_000, maxLifeMs: 10 * 60_000, retryMs: 2000 };

/** What a stream needs from its route: a check of its token, asked on every ping, and its slot, given back when it ends. */
export interface StreamLease {
  readonly live: () => boolean;
  readonly release: () => void;
}

interface OpenStream {
  readonly flag: string;
  readonly response: ServerResponse;
  readonly timers: ReturnType<typeof setTimeout>[];
}

/**
 * The open Server-Sent Events streams. Each new version of a flag is written to its streams as
 * `event: config` with the version as the event id, so a client that reconnects with
 * Last-Event-ID gets nothing it already has, and one that missed versions gets the latest at once.
 */
export class StreamHub {
  readonly #open = new Set<OpenStream>();
  readonly #unsubscribe: () => void;

  constructor(
    flags: FlagService,
    readonly metrics: FleetMetrics,
    readonly timings: StreamTimings = DEFAULT_STREAM_TIMINGS,
  ) {
    this.#unsubscribe = flags.subscribe((served) => {
      for (const stream of this.#open) if (stream.flag === served.version.flag) write(stream.response, configEvent(served));
    });
  }

  /** Takes over a response as a stream of the flag's versions, starting with the one in force unless the client has it. */
  open(response: ServerResponse, served: ServedFlag, lastEventId: string | undefined, headers: Record<string, string>, lease: StreamLease): void {
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(`retry: ${this.timings.retryMs}\n\n`);
    // Only a newer version than the client holds: an instance that has not yet heard of the
    // client's version (a late notice) must not hand it an older config, e.g. one from before a kill switch.
    const held = lastEventId === undefined ? Number.NaN : Number.parseInt(lastEventId, 10);
    if (!(held >= served.version.version)) write(response, configEvent(served));
    const stream: OpenStream = { flag: served.version.flag, response, timers: [] };
    const ping = setInterval(() => pingOrEnd(response, lease), this.timings.pingMs);
    const end = setTimeout(() => response.end(), this.timings.maxLifeMs);
    stream.timers.push(ping, end);
    this.#open.add(stream);
    this.metrics.streams.inc();
    response.on('close', () => {
      for (const timer of stream.timers) clearTimeout(timer); // clears the interval too
      if (this.#open.delete(stream)) this.metrics.streams.dec();
      lease.release();
    });
  }

  /** How many streams are open. */
  get size(): number {
    return this.#open.size;
  }

  /** Ends every stream (shutdown): clients reconnect to another instance. */
  closeAll(): void {
    this.#unsubscribe();
    for (const stream of this.#open) stream.response.end();
  }
}

/** One SSE event carrying a version: its id is the version, its data the config on one line (JSON has no raw newlines). */
function configEvent(served: ServedFlag): string {
  return `event: config\nid: ${served.version.version}\ndata: ${served.body}\n\n`;
}

/** A ping, or the end of a stream whose token was revoked since it opened (instead of living out its maxLifeMs). */
export function pingOrEnd(response: ServerResponse, lease: StreamLease): void {
  if (lease.live()) write(response, ': ping\n\n');
  else response.end();
}

/** Writes to a stream that may have closed meanwhile. */
function write(response: ServerResponse, text: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(text);
}
