// The Cache API store for model files, placed between transformers.js and the browser cache so that
// a response which is not the model file (a single-page app's index.html served with status 200, a
// login page, a proxy's error page) is never kept, and one kept by an earlier version is dropped. Without
// it, transformers.js caches whatever answered 200, and every later page load fails on that copy.

/** The Cache API cache transformers.js uses by default; kept, so files cached before stay usable. */
const MODEL_CACHE_NAME = 'transformers-cache';

/** The slice of transformers.js's `env` that chooses its cache. */
export interface CacheSettings {
  useBrowserCache: boolean;
  useCustomCache: boolean;
  customCache: unknown;
}

/** The cache one model load uses; `failed()` turns a failed load into a clear error and drops what it cached. */
export interface ModelFileCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
  /** The first response refused, as a sentence naming the URL; undefined while none was. */
  readonly problem: string | undefined;
  /** Drops the files this load cached, refuses later writes, and returns the error to report. */
  failed(error: unknown): Promise<Error>;
}

/**
 * Makes transformers.js cache through a validating ModelFileCache for one load. `expectedBytes` maps
 * file names relative to the model folder (`onnx/model.onnx`) to their size, from manifest.json.
 */
export function installModelFileCache(settings: CacheSettings, expectedBytes: ReadonlyMap<string, number>, open: () => Promise<Cache> = () => caches.open(MODEL_CACHE_NAME)): ModelFileCache {
  const cache = createModelFileCache(expectedBytes, open);
  settings.useBrowserCache = false; // checked first by transformers.js; ours wraps the same cache
  settings.useCustomCache = true;
  settings.customCache = cache;
  return cache;
}

/** A Cache API wrapper that checks every model file before keeping it and before handing it out. */
export function createModelFileCache(expectedBytes: ReadonlyMap<string, number>, open: () => Promise<Cache>): ModelFileCache {
  // No Cache API (opaque origins, some private modes): files are still checked, just not kept.
  const store = open().catch(() => undefined);
  const written = new Set<string>();
  let problem: string | undefined;
  let closed = false;

  const sizeOf = (key: string) => [...expectedBytes].find(([name]) => key.endsWith(`/${name}`))?.[1];

  return {
    get problem() {
      return problem;
    },
    async match(key) {
      const cache = await store;
      const hit = await cache?.match(key);
      if (cache === undefined || hit === undefined) return undefined;
      const body = await hit.blob();
      if ((await notTheModelFile(key, body, hit.headers, sizeOf(key))) !== undefined) {
        await cache.delete(key); // kept by an earlier version, or by another library: fetch it again
        return undefined;
      }
      return new Response(body, { headers: hit.headers });
    },
    async put(key, response) {
      if (closed) return;
      const body = await response.blob();
      const refused = await notTheModelFile(key, body, response.headers, sizeOf(key));
      if (refused !== undefined) {
        problem ??= `the server answered ${key} with ${refused} (status ${response.status}), not the model file`;
        return;
      }
      const cache = await store;
      if (cache === undefined || closed) return;
      await cache.put(key, new Response(body, { headers: response.headers }));
      if (closed) await cache.delete(key); // the load failed while this file was being written
      else written.add(key);
    },
    async failed(error) {
      closed = true; // files other parts of the failed load still finish must not be kept either
      const cache = await store;
      // A load that failed may have cached a file that passed the cheap checks and still was wrong.
      await Promise.all([...written].map((key) => cache?.delete(key).catch(() => false)));
      written.clear();
      return new Error(problem ?? (error instanceof Error ? error.message : String(error)));
    },
  };
}

/** Why `body` is not the model file `key` names, in a few words; undefined when it may well be. */
async function notTheModelFile(key: string, body: Blob, headers: Headers, expectedBytes: number | undefined): Promise<string | undefined> {
  const head = new Uint8Array(await body.slice(0, 64).arrayBuffer());
  const start = new TextDecoder().decode(head).trimStart();
  if (/text\/html/i.test(headers.get('content-type') ?? '') || start.startsWith('<')) return 'an HTML page';
  if (expectedBytes !== undefined && body.size !== expectedBytes) return `${body.size} bytes where the model's manifest says ${expectedBytes}`;
  const path = new URL(key, 'http://base/').pathname;
  if (path.endsWith('.json') && !(await parsesAsJson(body))) return 'a file that is not JSON';
  // An ONNX model is a protobuf ModelProto whose first field is ir_version: tag byte 0x08.
  if (path.endsWith('.onnx') && head[0] !== 0x08) return 'a file that is not an ONNX model';
  return undefined;
}

async function parsesAsJson(body: Blob): Promise<boolean> {
  try {
    JSON.parse(await body.text()); // the JSON files are small (the tokenizer is under 1 MB)
    return true;
  } catch {
    return false;
  }
}
