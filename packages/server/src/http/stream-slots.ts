import { FleetError } from '../errors.js';

/** Concurrent streams per server by default (config and admin together): each holds a socket and a file descriptor for up to its whole life. */
export const DEFAULT_MAX_STREAMS = 5000;

/** Seconds a refused stream is asked to wait; clients poll the config meanwhile. */
const STREAMS_RETRY_SECONDS = 30;

/**
 * The server's stream slots, shared by the config streams and the admin feed: a stream beyond the
 * cap, or opened once shutdown began, is a 503 with Retry-After before anything is written, so a
 * flood of streams cannot use up the process's descriptors and a closing server is not held open.
 */
export class StreamSlots {
  #open = 0;
  #closed = false;

  constructor(readonly max: number = DEFAULT_MAX_STREAMS) {}

  /** Takes a slot, or throws UNAVAILABLE; the returned release may be called more than once. */
  take(): () => void {
    if (this.#closed) throw new FleetError('UNAVAILABLE', 'the server is shutting down; reconnect to another instance', undefined, 1);
    if (this.#open >= this.max) throw new FleetError('UNAVAILABLE', `the server holds its most streams (${this.max}); poll the config or retry later`, undefined, STREAMS_RETRY_SECONDS);
    this.#open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
    };
  }

  /** True once shutdown began (for /readyz). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses every later stream (shutdown). */
  close(): void {
    this.#closed = true;
  }
}
