import type { Embedder } from './embedder.js';
import type { InputIssue } from '../input/schemas.js';

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
 * `lookup` (what the fallback reads next) gets the same bound, so a store that never answers
 * (a blocked IndexedDB) cannot hold the call either: past it, nothing is known. `Infinity`
 * returns the embedder as it is.
 */
export function withDeadline<T extends Embedder>(embedder: T, ms: number, reasonAtDeadline: () => DeadlineReason): T {
  if (ms === Infinity) return embedder;
  const embed: Embedder['embed'] = (texts) => within(embedder.embed(texts), ms, () => Promise.reject(new DeadlineError(reasonAtDeadline(), ms)));
  const inner = embedder.lookup?.bind(embedder);
  const lookup = inner === undefined ? undefined : (texts: readonly string[]) => within(inner(texts), ms, async () => texts.map(() => undefined));
  return { ...embedder, embed, ...(lookup === undefined ? {} : { lookup }) };
}

/** `pending`, or what `late` gives when it has not settled within `ms`; it goes on either way. */
function within<T>(pending: Promise<T>, ms: number, late: () => Promise<T>): Promise<T> {
  // Settling after the deadline is not the caller's business any more; never an unhandled rejection.
  pending.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => late().then(resolve, reject), ms);
  });
  return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
}

/** Valid deadlines in words, for errors. */
const DEADLINE_VALUES = 'a number of milliseconds >= 0 (0 answers from the vocabulary and cache only), or Infinity to wait as long as the model timeouts allow';

/** What is wrong with a deadline option at `path`, listing the valid values; undefined when it is absent or valid. */
export function deadlineIssue(value: unknown, path: string): InputIssue | undefined {
  if (value === undefined || (typeof value === 'number' && value >= 0)) return undefined; // NaN fails `>= 0`
  return { path, message: `must be ${DEADLINE_VALUES}; got ${typeof value === 'number' ? value : (JSON.stringify(value) ?? typeof value)}` };
}
