import type { Embedder } from './embedder.js';

/** Raised while the breaker is open: the model failed repeatedly and is not tried again yet. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
}

/** When to stop trying the model, and for how long. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly maxFailures: number;
  /** Milliseconds the breaker stays open before the model is tried again. */
  readonly retryAfterMs: number;
  readonly now?: () => number;
}

/**
 * Wraps an embedder so that after `maxFailures` failures in a row it fails at once, without
 * trying the model, until `retryAfterMs` have passed; one success closes it again. Filters then
 * fall back immediately instead of waiting on a model that keeps failing.
 */
export function withCircuitBreaker<T extends Embedder>(embedder: T, options: BreakerOptions): T {
  const now = options.now ?? (() => Date.now());
  let failures = 0;
  let openedAt = 0;
  const guarded: Embedder['embed'] = async (texts) => {
    if (failures >= options.maxFailures && now() - openedAt < options.retryAfterMs) {
      throw new ModelUnavailableError(`the model failed ${failures} times in a row; trying again after ${options.retryAfterMs} ms`);
    }
    try {
      const vectors = await embedder.embed(texts);
      failures = 0;
      return vectors;
    } catch (error) {
      failures++;
      if (failures >= options.maxFailures) openedAt = now();
      throw error;
    }
  };
  return { ...embedder, embed: guarded };
}
