import pg from 'pg';

/** Reconnection backoff of the dedicated connections: 1 s, doubling, at most 30 s. */
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/**
 * A dedicated connection runs `SELECT 1` this often: a connection that died without a FIN (a
 * network partition) is noticed within a heartbeat and its timeout, not after the OS's keepalive.
 */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/** A connected client for a dedicated connection. Its 'error' is always heard (an unheard one crashes the process). */
export async function dedicatedClient(config: pg.ClientConfig, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ ...config, application_name: applicationName });
  client.on('error', () => undefined); // the owner's handlers decide; this one only keeps the process up
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Runs `SELECT 1` on `client` every HEARTBEAT_MS; calls `dead` when one fails or takes too long. Returns the stop function. */
export function heartbeat(client: pg.Client, dead: () => void): () => void {
  let pending = false;
  const timer = setInterval(() => {
    if (pending) return;
    pending = true;
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS);
    });
    Promise.race([client.query('SELECT 1'), late])
      .then(() => undefined, dead)
      .finally(() => {
        clearTimeout(timeout);
        pending = false;
      });
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** One dedicated connection and what was set up on it. */
export interface Connection {
  readonly client: pg.Client;
  dead: boolean;
  stopHeartbeat: () => void;
}

/** Ends a connection; on a dead socket, pg destroys it. Never rejects, so a caller that need not wait can drop the promise. */
export function drop(connection: Connection): Promise<void> {
  connection.dead = true;
  connection.stopHeartbeat();
  return connection.client.end().catch(() => undefined);
}

/** The waits between reconnection attempts of one dedicated connection. */
export class Backoff {
  #delay = RECONNECT_MIN_MS;

  /** The wait before the next attempt; the one after is twice as long, up to the maximum. */
  next(): number {
    const delay = this.#delay;
    this.#delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    return delay;
  }

  /** Connected again: the next wait is the shortest. */
  reset(): void {
    this.#delay = RECONNECT_MIN_MS;
  }
}

/** Runs `work` in a transaction on one pooled connection: COMMIT after it, ROLLBACK if anything throws. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError; // the connection is gone or unusable: the pool must not hand it out again
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
