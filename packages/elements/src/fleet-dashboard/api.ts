import type { DeliveryView, FlagVersionView, FleetAction, SeriesView, WindowView } from './types.js';

/** An admin API error as the server sends it: `{ error: { code, message, issues? } }`, with the HTTP status. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** The admin routes the dashboard calls, with the token in the Authorization header (never in a URL). */
export class AdminApi {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  flags(): Promise<{ flags: FlagVersionView[] }> {
    return this.#json('/v1/flags');
  }

  history(flag: string): Promise<{ versions: FlagVersionView[] }> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}/history?limit=50`);
  }

  windows(flag: string): Promise<{ windows: WindowView[] }> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}/windows?limit=20`);
  }

  deliveries(flag: string): Promise<{ deliveries: DeliveryView[] }> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}/deliveries?limit=30`);
  }

  series(flag: string): Promise<SeriesView> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}/series?points=24`);
  }

  /** Runs an action against the version the operator saw (If-Match), so a change made meanwhile is a 412, not a surprise. */
  act(flag: string, action: FleetAction, etag: string, reason: string): Promise<FlagVersionView & { changed: boolean }> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}/${action}`, { method: 'POST', etag, body: reason === '' ? {} : { reason } });
  }

  /** Replaces the config and settings (If-Match the edited version). */
  put(flag: string, etag: string, body: { config: unknown; settings: unknown; reason?: string }): Promise<FlagVersionView> {
    return this.#json(`/v1/flags/${encodeURIComponent(flag)}`, { method: 'PUT', etag, body });
  }

  /** Opens the live stream (GET /v1/admin/stream): EventSource cannot send the header, so it is read with fetch. */
  stream(signal: AbortSignal): Promise<Response> {
    return this.fetchFn(`${this.baseUrl}/v1/admin/stream`, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' }, signal, cache: 'no-store' });
  }

  async #json<T>(path: string, init: { method?: string; etag?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.etag !== undefined) headers['if-match'] = init.etag;
    const response = await this.fetchFn(this.baseUrl + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), cache: 'no-store' });
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } | null;
    if (!response.ok) throw new AdminApiError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `HTTP ${response.status}`, body?.error?.issues);
    return body as T;
  }
}
