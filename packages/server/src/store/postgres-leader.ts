import type pg from 'pg';
import { Backoff, drop, heartbeat, type Connection } from './postgres-connection.js';

/**
 * The session-level advisory lock whose holder runs the guardrail evaluator ("semfiltr" in ASCII).
 * Advisory locks are per database: the instances of one fleet share theirs. An operator finds the
 * leader's backend with `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND
 * ((classid::bigint << 32) | objid::bigint) = 8315172573632296050`.
 */
export const LEADER_LOCK_KEY = 0x73656d66696c7472n;

/** The leader lock's connection: `holding` while its session holds the lock. */
interface LockConnection extends Connection {
  holding: boolean;
}

/** The leader lock on its dedicated connection (see PostgresStore.lead). */
export class LeaderLock {
  #connection: LockConnection | null = null;
  #attempt: Promise<boolean> | null = null;
  /** No connection attempt before this time (backoff after a lost or failed connection). */
  #retryAt = 0;
  readonly #backoff = new Backoff();
  #closed = false;

  constructor(private readonly connect: () => Promise<pg.Client>) {}

  /** True while this connection's session holds the lock; one attempt at a time, whoever asks. Never rejects. */
  lead(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#connection?.holding === true) return Promise.resolve(true); // the common case: no query
    this.#attempt ??= this.#try().finally(() => {
      this.#attempt = null;
    });
    return this.#attempt;
  }

  /** Ends the connection, and with it the lock; lead() answers false from now on. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = null;
    if (connection === null) return;
    connection.holding = false;
    // Ending the session releases its locks: the next instance's lead() takes over at once.
    await drop(connection);
  }

  async #try(): Promise<boolean> {
    if (this.#connection === null) {
      if (Date.now() < this.#retryAt) return false;
      try {
        this.#connection = await this.#open();
      } catch {
        this.#wait();
        return false;
      }
      if (this.#closed) {
        void drop(this.#connection);
        this.#connection = null;
        return false;
      }
      this.#backoff.reset();
    }
    const connection = this.#connection;
    try {
      const { rows } = await connection.client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS held', [LEADER_LOCK_KEY.toString()]);
      // The connection may have died while the answer came back: then the lock died with it.
      if (connection.dead) return false;
      connection.holding = rows[0]?.held === true;
      return connection.holding;
    } catch {
      this.#lost(connection);
      return false;
    }
  }

  async #open(): Promise<LockConnection> {
    const client = await this.connect();
    const connection: LockConnection = { client, dead: false, holding: false, stopHeartbeat: () => undefined };
    const lost = () => this.#lost(connection);
    client.on('error', lost);
    client.on('end', lost);
    connection.stopHeartbeat = heartbeat(client, lost);
    return connection;
  }

  /** The connection died (or cannot be trusted): PostgreSQL frees the lock; reconnect after the backoff. */
  #lost(connection: LockConnection): void {
    if (connection.dead) return;
    connection.holding = false;
    void drop(connection);
    if (this.#connection !== connection) return;
    this.#connection = null;
    if (!this.#closed) this.#wait();
  }

  /** No connection attempt until the backoff's next wait has passed. */
  #wait(): void {
    this.#retryAt = Date.now() + this.#backoff.next();
  }
}
