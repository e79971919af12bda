/** One Server-Sent Event: its name (`message` when unnamed) and its data lines joined. */
export interface StreamEvent {
  readonly event: string;
  readonly data: string;
}

/**
 * Reads a text/event-stream body event by event (the parts of the SSE format the server sends:
 * `event:`, `data:`, comments, blank-line separators) until it ends. Resolves when the server
 * closes the stream; rejects on a network error or an abort.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replaceAll('\r\n', '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent({ event, data: data.join('\n') });
    }
  }
}

/** What followStream tells its owner. */
export interface StreamHandlers {
  event(event: StreamEvent): void;
  /** 'connecting' before each attempt, 'offline' after a drop (the `ready` event says 'live'). */
  state(live: 'connecting' | 'offline'): void;
  /** The server refused the token: following stops. */
  unauthorized(): void;
  /** The stream came back after a drop: what happened meanwhile was not pushed. */
  gap(): void;
}

/** Keeps a stream open until `signal` aborts: reconnects after a drop, backing off from 1 s to 30 s. */
export function followStream(open: () => Promise<Response>, signal: AbortSignal, on: StreamHandlers): void {
  void (async () => {
    for (let delay = 1000; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      on.state('connecting');
      try {
        const response = await open();
        if (response.status === 401) return on.unauthorized();
        if (response.ok && response.body !== null) {
          delay = 1000;
          await readEventStream(response.body, on.event);
        }
      } catch {
        // a dropped connection or an abort: retried below unless aborted
      }
      if (signal.aborted) return;
      on.state('offline');
      await new Promise((resolve) => setTimeout(resolve, delay));
      on.gap();
    }
  })();
}
