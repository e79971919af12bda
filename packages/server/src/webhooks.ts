import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { PendingDelivery, Store, WebhookRecord } from './store/store.js';

/** The events a webhook hears. */
export const ALERT_EVENTS = ['rollback', 'promotion', 'fail-window', 'kill'] as const;
/** One of ALERT_EVENTS. */
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** An alert: what happened to which flag, in words (for Slack's `text`) and as data. */
export interface Alert {
  readonly event: AlertEvent;
  readonly flag: string;
  readonly text: string;
  readonly data: Record<string, unknown>;
}

/** Options of the dispatcher; the clock, fetch and waits are injectable for tests. */
export interface WebhookDispatcherOptions {
  readonly store: Store;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Attempts per delivery (default 5), waiting 1 s, 2 s, 4 s… between them. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** One delivery attempt, ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Delivers alerts to a flag's webhooks: a Slack-compatible JSON body (`text` plus the event as
 * data), signed as Standard Webhooks sign (`webhook-id`, `webhook-timestamp`, `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), retried with exponential backoff on a network
 * error or a non-2xx answer, every attempt in the delivery log. Never throws to its caller: an
 * alert that cannot be delivered is logged, and the rollout it reports has already happened.
 */
export class WebhookDispatcher {
  readonly #pending = new Set<Promise<void>>();
  /** Aborted by stop(): deliveries in flight end, and keep what is left of them in the store. */
  readonly #stopping = new AbortController();
  readonly #store: Store;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #attempts: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #log: (message: string, fields: Record<string, unknown>) => void;

  constructor(options: WebhookDispatcherOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
    this.#attempts = options.attempts ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#log = options.log ?? (() => undefined);
  }

  /** Sends an alert to every webhook of its flag, in the background. */
  notify(alert: Alert): void {
    this.#track(alert.flag, alert.event, this.#deliverAll(alert));
  }

  /** Resumes, in the background, the deliveries an earlier shutdown kept in the store (at start). */
  resume(): void {
    this.#track('*', 'resume', this.#resumeAll());
  }

  /** Resolves when every delivery started so far has ended (tests, graceful shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * Shutdown: lets deliveries finish for up to `graceMs` (retries back off for up to a minute, more
   * than a shutdown can wait), then interrupts them; each one not delivered is kept in the store with
   * the attempt it was at, and resume() sends it at the next start, under the same event id.
   */
  async stop(graceMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.settled(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.#stopping.abort();
    await this.settled();
  }

  #track(flag: string, event: string, delivery: Promise<void>): void {
    const task = delivery.catch((error: unknown) => this.#log('webhook delivery failed', { flag, event, error: messageOf(error) }));
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  async #deliverAll(alert: Alert): Promise<void> {
    const hooks = await this.#store.webhooks(alert.flag);
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({ text: `semfilter · ${alert.flag}: ${alert.text}`, event: alert.event, flag: alert.flag, id: eventId, at: new Date(this.#now()).toISOString(), data: alert.data });
    await Promise.all(hooks.map((hook) => this.#deliver(hook, { webhookId: hook.id, eventId, flag: alert.flag, event: alert.event, body, attempt: 1, savedAt: 0 })));
  }

  async #resumeAll(): Promise<void> {
    const kept = await this.#store.takePendingDeliveries();
    const hooks = new Map<string, WebhookRecord>();
    for (const flag of new Set(kept.map((delivery) => delivery.flag))) for (const hook of await this.#store.webhooks(flag)) hooks.set(hook.id, hook);
    // A webhook deleted meanwhile took its kept deliveries with it (ON DELETE CASCADE); the lookup is a second guard.
    await Promise.all(kept.flatMap((delivery) => (hooks.has(delivery.webhookId) ? [this.#deliver(hooks.get(delivery.webhookId)!, delivery)] : [])));
  }

  async #deliver(hook: WebhookRecord, delivery: PendingDelivery): Promise<void> {
    const { eventId, event, body } = delivery;
    for (let attempt = delivery.attempt; attempt <= this.#attempts; attempt++) {
      if (this.#stopping.signal.aborted) return this.#keep(delivery, attempt);
      const timestamp = Math.floor(this.#now() / 1000);
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await this.#fetch(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': eventId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(hook.secret, eventId, timestamp, body) },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#stopping.signal]),
          redirect: 'manual',
        });
        status = response.status;
        await response.body?.cancel();
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (failure) {
        error = messageOf(failure);
      }
      // An attempt the shutdown cut off is no answer from the receiver: it is made again after the restart.
      if (error !== null && this.#stopping.signal.aborted) return this.#keep(delivery, attempt);
      await this.#store.insertDelivery({ webhookId: hook.id, eventId, event, attempt, at: this.#now(), status, ok: error === null, error });
      if (error === null) return;
      if (attempt < this.#attempts) await this.#wait(this.#baseDelayMs * 2 ** (attempt - 1));
    }
  }

  /** Keeps a delivery stop() interrupted, to be resumed from `attempt` at the next start. */
  async #keep(delivery: PendingDelivery, attempt: number): Promise<void> {
    await this.#store.savePendingDelivery({ ...delivery, attempt, savedAt: this.#now() });
  }

  /** The backoff between attempts, cut short by stop(). */
  #wait(ms: number): Promise<void> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

/** The `webhook-signature` header value for a delivery (Standard Webhooks, v1). Receivers recompute it with their copy of the secret. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The HMAC key of a secret, as Standard Webhooks receivers derive it: a `whsec_` secret is the
 * base64 of the key bytes; any other secret (one an operator chose) is used as its UTF-8 bytes.
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** A new signing secret in Standard Webhooks' form (`whsec_` + base64 of 32 random bytes), shown once when the webhook is created. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
