import type pg from 'pg';
import { Backoff, drop, heartbeat, type Connection } from './postgres-connection.js';
import type { StoreChange } from './store.js';

/** NOTIFY channel of new flag versions; the payload is the flag. */
export const CONFIG_CHANNEL = 'semfilter_config';
/** NOTIFY channel of token changes (created or revoked); no payload. */
export const TOKENS_CHANNEL = 'semfilter_tokens';
/**
 * The flag of the change `watch` reports after its connection came back: notifications sent while
 * it was down are lost, so the listener must re-read every flag (and the tokens, reported beside it).
 */
export const ALL_FLAGS = '*';

/** One `watch` (see PostgresStore.watch): LISTEN on a dedicated connection, reconnecting with backoff until stopped. */
export class Watch {
  #connection: Connection | null = null;
  #stopped = false;
  readonly #backoff = new Backoff();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    private readonly listener: (change: StoreChange) => void,
  ) {}

  /** The first connection: its failure rejects. */
  async start(): Promise<void> {
    await this.#open();
  }

  /** Ends the connection and any reconnection; the listener hears nothing more. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const connection = this.#connection;
    this.#connection = null;
    if (connection !== null) await drop(connection);
  }

  /** Connects and LISTENs; false if stopped meanwhile. */
  async #open(): Promise<boolean> {
    const client = await this.connect();
    const connection: Connection = { client, dead: false, stopHeartbeat: () => undefined };
    const lost = () => {
      if (connection.dead) return;
      void drop(connection);
      if (this.#connection !== connection) return; // still setting up (the LISTEN rejects), or stopped
      this.#connection = null;
      if (!this.#stopped) this.#reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL) this.#emit({ kind: 'flag', flag: message.payload ?? '' });
      else if (message.channel === TOKENS_CHANNEL) this.#emit({ kind: 'tokens' });
    });
    try {
      await client.query(`LISTEN ${CONFIG_CHANNEL}; LISTEN ${TOKENS_CHANNEL}`);
    } catch (error) {
      void drop(connection);
      throw error;
    }
    if (connection.dead) throw new Error('the connection closed while it started to listen');
    if (this.#stopped) {
      void drop(connection);
      return false;
    }
    this.#connection = connection;
    connection.stopHeartbeat = heartbeat(client, lost);
    return true;
  }

  #reconnect(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#stopped) return;
      this.#open().then(
        (listening) => {
          if (!listening) return;
          this.#backoff.reset();
          // Whatever was sent while the connection was down is lost: everything must be re-read.
          this.#emit({ kind: 'tokens' });
          this.#emit({ kind: 'flag', flag: ALL_FLAGS });
        },
        () => {
          if (!this.#stopped) this.#reconnect();
        },
      );
    }, this.#backoff.next());
    this.#timer.unref();
  }

  #emit(change: StoreChange): void {
    if (this.#stopped) return;
    try {
      this.listener(change);
    } catch (error) {
      process.emitWarning(`a store watch listener threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
