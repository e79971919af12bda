import { FleetError } from '../errors.js';
import type { Store } from './store.js';

/** Seconds a client is asked to wait when the database does not answer. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * The store as the routes use it: a failing call (the database is down, a connection dropped)
 * becomes a 503 UNAVAILABLE with Retry-After, its cause logged once here, so no route answers a
 * database error as a 500 or shows its message (which may name hosts or users) to a client.
 */
export function answeringUnavailable(store: Store, log: (message: string, fields: Record<string, unknown>) => void): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (error instanceof FleetError) throw error;
          log('store call failed', { call: String(property), error: error instanceof Error ? error.message : String(error) });
          throw new FleetError('UNAVAILABLE', 'the database does not answer right now; try again shortly', undefined, UNAVAILABLE_RETRY_SECONDS);
        });
      };
    },
  });
}
