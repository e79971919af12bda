import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** A started static server; `close()` stops it. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves folders on 127.0.0.1 at a free port: `mounts` maps a URL prefix to a folder, `headers`
 * go on every response. A missing file is a real 404, never an HTML fallback (which a model
 * loader would cache as a model file).
 */
export async function startStaticServer(mounts: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>> = {}): Promise<StaticServer> {
  const roots = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    const file = mount === undefined ? undefined : resolve(mount[1], normalize(`./${path.slice(mount[0].length)}`));
    const target = file !== undefined && existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
    if (target === undefined || !target.startsWith(resolve(mount![1])) || !existsSync(target)) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream', 'Content-Length': statSync(target).size });
    createReadStream(target).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}
