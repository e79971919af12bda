import type { Embedder } from './embedder.js';

/** Why vectors were not there at a call's deadline: the model was still loading, or loaded and slow. */
export type DeadlineReason = 'MODEL_LOADING' | 'TIMEOUT';

/** Raised when an embed call passes its deadline; semantic mode reports `reason` as its fallback. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly reason: DeadlineReason,
    ms: number,
  ) {
    super(reason === 'MODEL_LOADING' ? `the model was still loading after the ${ms} ms deadline` : `the model did not answer within the ${ms} ms deadline`);
  }
}

/**
 * Wraps an embedder so that each `embed` call answers within `ms` milliseconds or rejects with a
 * DeadlineError (its reason read from `reasonAtDeadline` when the deadline passes). The call
 * itself is not cancelled: it goes on, so a layered embedder still keeps the vectors it brings
 * for the next call, and a circuit breaker beneath still sees only the model's real outcome.
 * `Infinity` returns the embedder as it is.
 */
export function withDeadline<T extends Embedder>(embedder: T, ms: number, reasonAtDeadline: () => DeadlineReason): T {
  if (ms === Infinity) return embedder;
  const embed: Embedder['embed'] = (texts) => {
    const pending = embedder.embed(texts);
    // Settling after the deadline is not the caller's business any more; never an unhandled rejection.
    pending.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineError(reasonAtDeadline(), ms)), ms);
    });
    return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
  };
  return { ...embedder, embed };
}

/** Valid deadlines, in words, for errors: a number of milliseconds ≥ 0, or Infinity to wait for the model. */
export const DEADLINE_VALUES = 'a number of milliseconds >= 0 (0 answers from the vocabulary and cache only), or Infinity to wait as long as the model timeouts allow';

/** Whether a value is a valid deadline (see DEADLINE_VALUES). */
export function isDeadline(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && !Number.isNaN(value);
}
