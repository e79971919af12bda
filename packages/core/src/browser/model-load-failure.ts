// Why a model load failed, in words a person can act on. The errors beneath are transformers.js's
// ("`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at …",
// naming settings the host never set), the worker's model-file checks and the worker client's
// timeout; this names the cause and the URL instead.

/** What ended a model load. */
export type ModelLoadFailureKind =
  /** A model file is not there: HTTP 404, or no answer at all. */
  | 'not-served'
  /** The server answered a model file's URL with something else: an HTML page, a file of the wrong size. */
  | 'not-the-model'
  /** The server refused a model file with another HTTP error (401, 403, 500, …). */
  | 'http-error'
  /** The load took longer than `loadTimeoutMs`. */
  | 'timeout'
  /** The embedding worker could not start, or died. */
  | 'worker'
  /** Anything else (onnxruntime could not start, say): `message` is the error as raised. */
  | 'other';

/** Why the latest model load failed (SemanticFilter.loadFailure, and `statechange`'s `detail.failure`). */
export interface ModelLoadFailure {
  readonly kind: ModelLoadFailureKind;
  /**
   * The cause in words: "the model files are not served at https://…/models/ (HTTP 404 or no answer
   * for Xenova/all-MiniLM-L6-v2/tokenizer.json)", "the server answered https://…/config.json with an
   * HTML page: the model is not served there", "the model took longer than 120 s to load".
   */
  readonly message: string;
  /** The model file concerned, when the error names one. */
  readonly url?: string;
  /** What semantic runs report while it stands: TIMEOUT for a load that took too long, MODEL_UNAVAILABLE otherwise. */
  readonly reason: 'MODEL_UNAVAILABLE' | 'TIMEOUT';
  /** The error as raised beneath (transformers.js's, the worker's), for logs. */
  readonly error: string;
}

/** What the wording needs to know of the load. */
export interface ModelLoadContext {
  /** The model folder the facade was given (ends with `/`). */
  readonly modelBaseUrl: string;
  readonly loadTimeoutMs: number;
  /** The page's origin: URLs from `/` (`/models/…`) are named in full against it. Default: none, URLs as raised. */
  readonly origin?: string;
}

/** transformers.js's messages for a failed HTTP answer (its ERROR_MAPPING), by status. */
const HTTP_ERRORS: readonly (readonly [RegExp, number])[] = [
  [/^Bad request error occurred while trying to load file/, 400],
  [/^Unauthorized access to file/, 401],
  [/^Forbidden access to file/, 403],
  [/^Could not locate file/, 404],
  [/^Request timeout error occurred while trying to load file/, 408],
  [/^Internal server error error occurred while trying to load file/, 500],
  [/^Bad gateway error occurred while trying to load file/, 502],
  [/^Service unavailable error occurred while trying to load file/, 503],
  [/^Gateway timeout error occurred while trying to load file/, 504],
];

/** A model load's error (as the worker client raised it) in words; never throws. */
export function describeModelLoadFailure(error: unknown, given: ModelLoadContext): ModelLoadFailure {
  const context = { ...given, modelBaseUrl: absolute(given.modelBaseUrl, given.origin) };
  const raised = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const failure = (kind: ModelLoadFailureKind, message: string, url?: string): ModelLoadFailure => ({
    kind,
    message,
    ...(url === undefined ? {} : { url }),
    reason: kind === 'timeout' ? 'TIMEOUT' : 'MODEL_UNAVAILABLE',
    error: raised,
  });

  if (name === 'TimeoutError') return failure('timeout', `the model took longer than ${duration(context.loadTimeoutMs)} to load`);

  // The worker's check of what the server answered (model-cache.ts).
  const refused = /the server answered (\S+) with (.+?) \(status \d+\), not the model file/.exec(raised);
  if (refused !== null) {
    const [, raisedUrl, what] = refused as unknown as [string, string, string];
    const url = absolute(raisedUrl, context.origin);
    return what === 'an HTML page'
      ? failure('not-the-model', `the server answered ${url} with an HTML page: the model is not served there`, url)
      : failure('not-the-model', `the server answered ${url} with ${what}: not the model file`, url);
  }

  // transformers.js, self-hosted (remote models off): a 404, or no answer at all (its fetch failed).
  const missing = /file was not found locally at "([^"]+)"/.exec(raised);
  if (missing !== null) {
    const url = absolute(missing[1]!, context.origin);
    return failure('not-served', `the model files are not served at ${folderOf(url, context)} (HTTP 404 or no answer for ${fileOf(url, context)})`, url);
  }

  // transformers.js, remote models on: the status of the last URL it tried.
  const named = /: "([^"]+)"\.?$/.exec(raised);
  if (named !== null) {
    const url = absolute(named[1]!, context.origin);
    const status = HTTP_ERRORS.find(([pattern]) => pattern.test(raised))?.[1] ?? Number(/^Error \((\d+)\) occurred while trying to load file/.exec(raised)?.[1] ?? NaN);
    if (status === 404) return failure('not-served', `the model files are not served at ${folderOf(url, context)} (HTTP 404 for ${fileOf(url, context)})`, url);
    if (Number.isInteger(status)) return failure('http-error', `the server answered ${url} with HTTP ${status}`, url);
  }

  if (/^(could not start the embedding worker|the embedding worker )/.test(raised)) return failure('worker', raised);
  return failure('other', raised);
}

/**
 * A URL from the root (`/models/…`, how the worker fetched it: the same origin as the page) in full;
 * other URLs as they are (a relative one is resolved against the worker's script, not the page).
 */
function absolute(url: string, origin: string | undefined): string {
  if (origin === undefined || !url.startsWith('/') || url.startsWith('//')) return url;
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}

/** The model folder the host configured when the file lies in it, else the file's own folder. */
function folderOf(url: string, { modelBaseUrl }: ModelLoadContext): string {
  return url.startsWith(modelBaseUrl) ? modelBaseUrl : url.slice(0, url.lastIndexOf('/') + 1);
}

/** The file's path within that folder (`Xenova/all-MiniLM-L6-v2/tokenizer.json`). */
function fileOf(url: string, context: ModelLoadContext): string {
  return url.slice(folderOf(url, context).length) || url;
}

/** 800 → "800 ms", 120000 → "120 s", 1500 → "1.5 s". */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
