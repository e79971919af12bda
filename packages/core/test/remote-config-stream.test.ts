import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteConfig, defaultStreamUrl, memoryStorage, type RemoteConfig, type RemoteConfigChange, type RemoteConfigOptions } from '@semfilter/core/rollout';

const FLAG = 'semantic-filter';
const configOf = (version: number, fields: object = {}) => ({ schema: 1, version, flag: FLAG, mode: 'on', coverage: 1, ...fields });
const eventOf = (config: { version: number }) => `event: config\nid: ${config.version}\ndata: ${JSON.stringify(config)}\n\n`;

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * The fleet server's flag endpoints on a real port: GET answers the current config with an ETag
 * (304 to a matching If-None-Match); /stream is an event stream that sends the current config on
 * connect (unless Last-Event-ID says the client has it) and every pushed one after.
 */
async function flagServer(options: { etag?: boolean; retryMs?: number; stream?: boolean } = {}) {
  const state = { config: configOf(1) as { version: number }, polls: [] as Seen[], streams: [] as Seen[] };
  const open = new Set<ServerResponse>();
  const http = createServer((request, response) => {
    const seen = { path: request.url ?? '', headers: request.headers };
    if (seen.path.startsWith(`/v1/flags/${FLAG}/stream`)) {
      state.streams.push(seen);
      if (options.stream === false) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const current = request.headers['last-event-id'] === String(state.config.version);
      response.write(`${options.retryMs === undefined ? '' : `retry: ${options.retryMs}\n\n`}${current ? '' : eventOf(state.config)}`);
      open.add(response);
      response.on('close', () => open.delete(response));
      return;
    }
    state.polls.push(seen);
    const etag = `"${state.config.version}"`;
    if (options.etag !== false && request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...(options.etag === false ? {} : { etag }) });
    response.end(JSON.stringify(state.config));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  servers.push(http);
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    state,
    url: `${base}/v1/flags/${FLAG}?key=pk_test`,
    open,
    /** A new version: every open stream hears of it at once. */
    push(config: { version: number }) {
      state.config = config;
      for (const response of open) response.write(eventOf(config));
    },
    write: (text: string) => {
      for (const response of open) response.write(text);
    },
    closeStreams: () => {
      for (const response of open) response.end();
    },
  };
}

const servers: ReturnType<typeof createServer>[] = [];
const clients: RemoteConfig[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  for (const http of servers.splice(0)) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

function client(options: RemoteConfigOptions) {
  const remote = createRemoteConfig({ storage: memoryStorage(), ...options });
  clients.push(remote);
  const changes: RemoteConfigChange[] = [];
  const errors: string[] = [];
  remote.addEventListener('change', (e) => changes.push((e as CustomEvent<RemoteConfigChange>).detail));
  remote.addEventListener('error', (e) => errors.push((e as CustomEvent<{ message: string }>).detail.message));
  return { remote, changes, errors };
}

describe('createRemoteConfig with stream: true', () => {
  it('the stream URL is the config URL with /stream before the query string', () => {
    expect(defaultStreamUrl('https://flags.example/v1/flags/f?key=k')).toBe('https://flags.example/v1/flags/f/stream?key=k');
    expect(defaultStreamUrl('https://flags.example/v1/flags/f/')).toBe('https://flags.example/v1/flags/f/stream');
  });

  it('a new version pushed on the stream is adopted within 1 s, without waiting for a poll', async () => {
    const server = await flagServer();
    const { remote, changes, errors } = client({ url: server.url, stream: true, refreshMs: 60_000 });
    remote.start();
    await expect.poll(() => server.open.size).toBe(1);
    await expect.poll(() => remote.config.version).toBe(1);
    expect(server.state.streams[0]!.path).toBe(`/v1/flags/${FLAG}/stream?key=pk_test`);
    expect(server.state.streams[0]!.headers.accept).toBe('text/event-stream');

    server.push(configOf(2, { killSwitch: true }));
    await expect.poll(() => remote.config.version, { timeout: 1000, interval: 10 }).toBe(2);
    expect(remote.config.killSwitch).toBe(true);
    expect(changes.at(-1)).toMatchObject({ source: 'remote', config: { version: 2 } });
    expect(server.state.polls).toHaveLength(1); // the start's poll only
    expect(errors).toEqual([]);

    remote.stop();
    await expect.poll(() => server.open.size).toBe(0);
  });

  it('a stream the server closes is reopened with Last-Event-ID, and a server ending it is no error', async () => {
    const server = await flagServer({ retryMs: 100 });
    const { remote, errors } = client({ url: server.url, stream: true, refreshMs: 60_000 });
    remote.start();
    await expect.poll(() => server.open.size).toBe(1);
    server.closeStreams();
    server.state.config = configOf(2);
    await expect.poll(() => remote.config.version, { timeout: 5000 }).toBe(2);
    // Closed again with nothing new: the client it reconnects to already has version 2.
    await expect.poll(() => server.open.size).toBe(1);
    server.closeStreams();
    await expect.poll(() => server.state.streams.length, { timeout: 5000 }).toBe(3);
    await expect.poll(() => server.open.size).toBe(1);
    server.push(configOf(3));
    await expect.poll(() => remote.config.version, { timeout: 1000 }).toBe(3);
    expect(server.state.streams.map((s) => s.headers['last-event-id'])).toEqual([undefined, '1', '2']);
    expect(server.state.polls).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('an invalid config on the stream keeps the last good one, says why, and the stream carries on', async () => {
    const storage = memoryStorage();
    const server = await flagServer();
    const { remote, errors } = client({ url: server.url, stream: true, refreshMs: 60_000, storage });
    remote.start();
    await expect.poll(() => server.open.size).toBe(1);
    server.push(configOf(3, { coverage: 1.5 }));
    server.write('event: config\nid: 4\ndata: {"schema": 1, "vers\n\n');
    await expect.poll(() => errors).toEqual(['the streamed config is invalid: config.coverage: expected a share from 0 to 1', 'the streamed config is not valid JSON']);
    expect(remote.config.version).toBe(1);
    expect(remote.lastError).toBe('the streamed config is not valid JSON');

    server.push(configOf(5));
    await expect.poll(() => remote.config.version).toBe(5);
    expect(remote.lastError).toBeNull();
    // Stored like a fetched config: a reload starts on it.
    expect(JSON.parse(storage.getItem('semfilter-rollout-config')!).config.version).toBe(5);
    expect(createRemoteConfig({ url: server.url, storage }).config.version).toBe(5);
  });

  it('reads events as the spec says, however the bytes are cut: CRLF, comments, multi-line data, other event types, a BOM', async () => {
    const chunks: Buffer[] = [];
    const config = configOf(7, { flag: 'filtre-sémantique' });
    const pretty = JSON.stringify(config, null, 2).split('\n');
    const data = pretty.map((line) => `data:${line}`).join('\r\n');
    const text = `\uFEFFevent: config\r\n: ping\r\nretry: 100\r\nid: 7\r\n${data}\r\n\r\nevent: other\r\ndata: not a config\r\n\r\n: ping\n`;
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
    const http = createServer(async (request, response) => {
      if (!request.url!.includes('/stream')) return void response.end(JSON.stringify(configOf(1)));
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      for (const chunk of chunks) {
        response.write(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    servers.push(http);
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/flags/${FLAG}`;
    const { remote, errors } = client({ url, stream: true, refreshMs: 60_000 });
    remote.start();
    await expect.poll(() => remote.config.version).toBe(7);
    expect(remote.config.flag).toBe('filtre-sémantique');
    expect(errors).toEqual([]);
  });

  it('with a broken stream, polling at refreshMs still brings new versions', async () => {
    const server = await flagServer({ stream: false });
    const { remote, errors } = client({ url: server.url, stream: true, refreshMs: 50 });
    remote.start();
    await expect.poll(() => remote.config.version).toBe(1);
    server.state.config = configOf(2);
    await expect.poll(() => remote.config.version, { timeout: 2000 }).toBe(2);
    expect(errors[0]).toBe(`opening ${defaultStreamUrl(server.url)} gave HTTP 404`);
  });
});

describe('createRemoteConfig polling with ETags', () => {
  it('sends If-None-Match with the last ETag; a 304 changes nothing and is no error', async () => {
    const server = await flagServer();
    const { remote, changes, errors } = client({ url: server.url });
    await remote.refresh();
    const first = remote.config;
    await remote.refresh();
    expect(server.state.polls.map((p) => p.headers['if-none-match'])).toEqual([undefined, '"1"']);
    expect([remote.config, remote.source, remote.lastError, changes.length, errors]).toEqual([first, 'remote', null, 1, []]);

    server.state.config = configOf(2);
    await remote.refresh();
    expect(server.state.polls.at(-1)!.headers['if-none-match']).toBe('"1"');
    expect(remote.config.version).toBe(2);
    await remote.refresh();
    expect(server.state.polls.at(-1)!.headers['if-none-match']).toBe('"2"');
    expect(changes.map((c) => c.config.version)).toEqual([1, 2]);
  });

  it('a server without ETags (a plain JSON file) is polled in full every time, as before', async () => {
    const server = await flagServer({ etag: false });
    const { remote, changes, errors } = client({ url: server.url });
    await remote.refresh();
    server.state.config = configOf(2);
    await remote.refresh();
    expect(server.state.polls.map((p) => p.headers['if-none-match'])).toEqual([undefined, undefined]);
    expect([remote.config.version, changes.length, errors]).toEqual([2, 2, []]);
  });

  it('where If-None-Match is refused (a cross-origin preflight), it polls plainly instead', async () => {
    const server = await flagServer();
    // A fake of a browser whose CORS preflight for If-None-Match the server refused: fetch rejects with a TypeError.
    const fakeCorsRefusal = ((url: string, init?: RequestInit) =>
      (init?.headers as Record<string, string> | undefined)?.['if-none-match'] ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init)) as typeof fetch;
    const { remote, errors } = client({ url: server.url, fetch: fakeCorsRefusal });
    await remote.refresh();
    await remote.refresh();
    await remote.refresh();
    expect([remote.config.version, remote.lastError, errors]).toEqual([1, null, []]);
    expect(server.state.polls.map((p) => p.headers['if-none-match'])).toEqual([undefined, undefined, undefined]);
  });
});
