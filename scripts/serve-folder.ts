import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.css': 'text/css',
  '.map': 'application/json',
  '.png': 'image/png',
};

/**
 * Answers a request for `path` (URL path relative to the folder) from `root`. A missing file, or a
 * path that climbs out of the folder, is a real 404, never an HTML fallback: a model loader would
 * cache the fallback page as a model file.
 */
export function serveFromFolder(root: string, path: string, response: ServerResponse, headers: Readonly<Record<string, string>> = {}): void {
  const folder = resolve(root);
  const file = resolve(folder, normalize(`./${safeDecode(path.split('?')[0]!)}`));
  const target = existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
  if (!target.startsWith(folder) || !existsSync(target)) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('not found');
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream', 'Content-Length': statSync(target).size });
  createReadStream(target).pipe(response);
}

/** The decoded path, or one that names no file when the escapes are malformed. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '\0malformed';
  }
}
