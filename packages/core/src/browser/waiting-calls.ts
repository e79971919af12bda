/**
 * Embed calls started before the model was ready, kept until they settle, so the facade can say
 * `ready` only once the calls that waited for the model (some past their deadline) are answered.
 */
export class WaitingCalls {
  readonly #pending = new Set<Promise<unknown>>();

  /** Keeps `pending` until it settles; returns it unchanged. */
  watch<T>(pending: Promise<T>): Promise<T> {
    this.#pending.add(pending);
    void pending.catch(() => undefined).finally(() => this.#pending.delete(pending));
    return pending;
  }

  /** Resolves when every call watched so far has settled, or after `boundMs` (a store that never finishes a write cannot hold it back). */
  async settled(boundMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)));
    await Promise.race([Promise.allSettled([...this.#pending]), bound]);
    clearTimeout(timer);
  }
}
