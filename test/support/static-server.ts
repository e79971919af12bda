import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveFromFolder } from '../../scripts/serve-folder.js';

/** A started static server; `close()` stops it. */
/**
 * The headers that make a page cross-origin isolated, so onnxruntime-web can run the embedding
 * worker on several threads (SharedArrayBuffer). Everything our pages load is same-origin, so
 * require-corp blocks nothing.
 */
export const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves folders on 127.0.0.1 at a free port: `mounts` maps a URL prefix to a folder, `headers`
 * go on every response. A missing file is a real 404.
 */
export async function startStaticServer(mounts: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>> = {}): Promise<StaticServer> {
  const roots = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    if (mount === undefined) response.writeHead(404, headers).end('not found');
    else serveFromFolder(mount[1], path.slice(mount[0].length), response, headers);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}
