/*
 * Server-Sent Events over fetch: a pure parser (the WHATWG "event stream interpretation") and one
 * connection's reader loop. fetch rather than EventSource because Node 20 has no EventSource, an
 * injected fetch must be honoured, and EventSource cannot be aborted on a silent connection.
 */

/** One dispatched event. */
export interface ServerSentEvent {
  /** The `event:` field, or `message` when there was none. */
  readonly type: string;
  /** The `data:` lines joined with line feeds. */
  readonly data: string;
  /** The last `id:` seen on the stream when the event was dispatched ('' for none). */
  readonly lastEventId: string;
}

/** What the parser carries from one chunk to the next. */
export interface EventStreamState {
  /** Text after the last line break: the start of a line still arriving. */
  readonly rest: string;
  /** The previous chunk ended in CR: a LF opening this one belongs to the same line break. */
  readonly skipLineFeed: boolean;
  /** Whether a first character has been seen (a BOM is only skipped there). */
  readonly started: boolean;
  readonly eventType: string;
  readonly data: string;
  readonly idBuffer: string;
  /** The id a reconnection sends as Last-Event-ID. */
  readonly lastEventId: string;
}

/** What one chunk yields. */
export interface EventStreamChunk {
  readonly state: EventStreamState;
  readonly events: readonly ServerSentEvent[];
  /** The last valid `retry:` field in the chunk, ms. */
  readonly retryMs: number | undefined;
}

/** The state before a stream's first byte; `lastEventId` carries over from an earlier connection. */
export function initialEventStreamState(lastEventId = ''): EventStreamState {
  return { rest: '', skipLineFeed: false, started: false, eventType: '', data: '', idBuffer: lastEventId, lastEventId };
}

/** Parses one decoded chunk of an event stream. Pure: the same state and chunk give the same result. */
export function parseEventStream(previous: EventStreamState, chunk: string): EventStreamChunk {
  let text = previous.rest + chunk;
  let { skipLineFeed, started, eventType, data, idBuffer, lastEventId } = previous;
  let retryMs: number | undefined;
  const events: ServerSentEvent[] = [];
  if (!started && text.length > 0) {
    started = true;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  let position = 0;
  if (skipLineFeed && text.length > 0) {
    if (text[0] === '\n') position = 1;
    skipLineFeed = false;
  }
  for (;;) {
    const end = lineEnd(text, position);
    if (end < 0) break;
    const line = text.slice(position, end);
    position = end + 1;
    if (text[end] === '\r') {
      if (end + 1 === text.length) skipLineFeed = true;
      else if (text[end + 1] === '\n') position++;
    }
    if (line === '') {
      // Dispatch: the id takes effect even for an event without data (the spec's order).
      lastEventId = idBuffer;
      if (data !== '') events.push({ type: eventType === '' ? 'message' : eventType, data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId });
      data = '';
      eventType = '';
      continue;
    }
    if (line.startsWith(':')) continue; // a comment, e.g. the server's `: ping`
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventType = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  }
  return { state: { rest: text.slice(position), skipLineFeed, started, eventType, data, idBuffer, lastEventId }, events, retryMs };
}

function lineEnd(text: string, from: number): number {
  const cr = text.indexOf('\r', from);
  const lf = text.indexOf('\n', from);
  return cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
}

/** Options of readEventStream. */
export interface ReadEventStreamOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  /** Sent as Last-Event-ID unless empty. */
  readonly lastEventId: string;
  /** Aborting it ends the connection quietly (stop()). */
  readonly signal: AbortSignal;
  /** A connection silent this long is treated as dead: a half-open TCP connection never ends on its own. */
  readonly idleMs: number;
  /** The most characters one event (or one line) may hold before the stream is given up. */
  readonly maxEventChars: number;
  readonly onEvent: (event: ServerSentEvent) => void;
  readonly onRetry?: (ms: number) => void;
}

/**
 * Opens the stream once and reads it until the server ends it (resolves) or it fails (rejects: an
 * HTTP error, not an event stream, the network, silence, an oversized event). An abort through
 * `signal` resolves. An event still incomplete at the end is discarded, as the spec says.
 */
export async function readEventStream(options: ReadEventStreamOptions): Promise<void> {
  const { url, signal } = options;
  const controller = new AbortController();
  let silent = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let rejectAborted: (reason: Error) => void = () => undefined;
  // Raced with every await, because an injected or polyfilled fetch may ignore the signal.
  const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
  aborted.catch(() => undefined);
  const abort = () => {
    controller.abort();
    rejectAborted(new Error('aborted'));
  };
  const arm = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      silent = true;
      abort();
    }, options.idleMs);
  };
  if (signal.aborted) return;
  signal.addEventListener('abort', abort);
  try {
    arm();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== '') headers['last-event-id'] = options.lastEventId;
    const response = await Promise.race([options.fetch(url, { signal: controller.signal, cache: 'no-store', headers }), aborted]);
    if (!response.ok) throw new Error(`opening ${url} gave HTTP ${response.status}`);
    if (!/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) throw new Error(`${url} did not answer with text/event-stream`);
    if (response.body === null) throw new Error(`${url} answered without a body`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let state = initialEventStreamState(options.lastEventId);
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), aborted]);
        if (done) return;
        arm();
        const chunk = parseEventStream(state, decoder.decode(value, { stream: true }));
        state = chunk.state;
        if (chunk.retryMs !== undefined) options.onRetry?.(chunk.retryMs);
        for (const event of chunk.events) options.onEvent(event);
        if (state.rest.length + state.data.length > options.maxEventChars) throw new Error(`an event on ${url} is over ${options.maxEventChars} characters`);
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } catch (error) {
    // Whichever of fetch's AbortError and the race lost, say why the connection was cut.
    if (silent) throw new Error(`the stream ${url} was silent for ${options.idleMs} ms`);
    if (signal.aborted) return;
    throw error;
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', abort);
  }
}

/** Options of followEventStream: readEventStream's, less what changes per connection. */
export interface FollowEventStreamOptions {
  readonly url: string;
  readonly fetch: typeof fetch;
  /** Aborting it closes the stream for good. */
  readonly signal: AbortSignal;
  readonly maxEventChars: number;
  /** Default 60 s: the fleet server pings every ~25 s, so this is two missed pings and some slack. */
  readonly idleMs?: number;
  readonly onEvent: (event: ServerSentEvent) => void;
  /** A connection failed (it is retried); a server ending the stream is not a failure. */
  readonly onError: (error: unknown) => void;
}

/** Reconnection delays: from 1 s (or the server's `retry:`, never under 100 ms) doubling to 60 s. */
const RETRY_MS = 1000;
const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 60_000;

/**
 * Keeps a stream open until `signal` aborts, reconnecting with Last-Event-ID: after a connection
 * that brought an event or that the server ended, in `retry` (1 s unless the server said
 * otherwise); after each failed one, twice as long as the last wait, up to 60 s. Never rejects.
 */
export async function followEventStream(options: FollowEventStreamOptions): Promise<void> {
  const { signal } = options;
  let lastEventId = '';
  let retryMs = RETRY_MS;
  let failures = 0;
  while (!signal.aborted) {
    // A server ending a stream is routine (the fleet server does every 10 min, and sends nothing
    // new to a client whose Last-Event-ID is current), so it does not count as a failure.
    let healthy = false;
    try {
      await readEventStream({
        url: options.url,
        fetch: options.fetch,
        lastEventId,
        signal,
        idleMs: options.idleMs ?? 60_000,
        maxEventChars: options.maxEventChars,
        onRetry: (ms) => (retryMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms))),
        onEvent: (event) => {
          healthy = true;
          lastEventId = event.lastEventId;
          options.onEvent(event);
        },
      });
      healthy = true;
    } catch (error) {
      if (!signal.aborted) options.onError(error);
    }
    failures = healthy ? 0 : failures + 1;
    await pause(Math.min(MAX_RETRY_MS, retryMs * 2 ** Math.max(0, failures - 1)), signal);
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
