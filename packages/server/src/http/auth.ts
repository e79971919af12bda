import type { FastifyRequest } from 'fastify';
import { FleetError } from '../errors.js';
import type { Store } from '../store/store.js';
import { matchToken, type TokenRecord, type TokenScope } from '../tokens.js';

/**
 * The live tokens, held in memory so a request never waits on the database to be authenticated
 * (configs keep being served while PostgreSQL is away). Reloaded on a notice from another instance
 * and every `refreshMs`, so a revoked token stops working within that time everywhere.
 */
export class TokenCache {
  #records: TokenRecord[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Reloads started, and the latest one whose answer is in force: see reload(). */
  #started = 0;
  #applied = 0;

  constructor(readonly store: Store) {}

  /**
   * Reads the tokens now; a failing read keeps the ones held. Reloads overlap (the timer, a notice,
   * a call): an answer is taken only if no reload started after it has been taken already, so a
   * slow read from before a revoke can never bring the revoked token back.
   */
  async reload(): Promise<void> {
    const generation = ++this.#started;
    try {
      const records = await this.store.listTokens();
      if (generation < this.#applied) return;
      this.#applied = generation;
      this.#records = records;
    } catch {
      // the database is away: the tokens held stay in force until it is back
    }
  }

  /** Reloads every `refreshMs` until stop(). */
  start(refreshMs: number): void {
    this.#timer ??= setInterval(() => void this.reload(), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The live record a presented token belongs to, or null. */
  find(presented: string): TokenRecord | null {
    return matchToken(presented, this.#records);
  }
}

/** Where a request may carry its token: `Authorization: Bearer …`, or `?key=` for client keys (beacons and EventSource cannot set headers). */
export function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match === null ? '' : match[1]!;
  }
  const key = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof key === 'string' ? key : null;
}

/**
 * The token's record if it may act in `scopes` (and, for a client key, on `flag`). A missing,
 * unknown or revoked token is 401; a valid one of the wrong scope or flag is 403. The lookup takes
 * the same time whatever was presented (see matchToken).
 */
export function authorize(tokens: TokenCache, request: FastifyRequest, scopes: readonly TokenScope[], flag?: string): TokenRecord {
  const presented = presentedToken(request);
  if (presented === null) throw new FleetError('UNAUTHORIZED', 'this endpoint needs a token: `Authorization: Bearer <token>` (or `?key=<client key>` for configs and metrics)');
  const record = tokens.find(presented);
  if (record === null) throw new FleetError('UNAUTHORIZED', 'the token is not valid (unknown, revoked or malformed)');
  // A URL ends up in proxy logs, browser history and Referer headers: an admin token there is leaked.
  if (record.scope === 'admin' && typeof request.headers.authorization !== 'string') throw new FleetError('UNAUTHORIZED', 'send an admin token in `Authorization: Bearer <token>`, never in a URL');
  if (!scopes.includes(record.scope)) throw new FleetError('FORBIDDEN', `a ${record.scope} token cannot do this: it needs a ${scopes.join(' or ')} token`);
  if (record.scope === 'client' && flag !== undefined && record.flag !== flag) throw new FleetError('FORBIDDEN', `this client key is for flag "${record.flag}", not "${flag}"`);
  return record;
}

/** Whether the token a request was authorized with is still live: long-lived streams ask on every ping, so a revoked token's stream ends then. */
export function stillAuthorized(tokens: TokenCache, request: FastifyRequest): () => boolean {
  const presented = presentedToken(request) ?? '';
  return () => tokens.find(presented) !== null;
}
