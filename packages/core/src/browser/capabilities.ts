/** What this page can do, checked once, in one place. */
export interface Capabilities {
  readonly worker: boolean;
  readonly indexedDB: boolean;
  /** Threads in onnxruntime-web need SharedArrayBuffer, which needs cross-origin isolation. */
  readonly crossOriginIsolated: boolean;
  readonly cores: number;
}

let detected: Capabilities | undefined;

/** The page's capabilities (memoized). */
export function capabilities(): Capabilities {
  detected ??= {
    worker: typeof Worker === 'function',
    indexedDB: (() => {
      try {
        return typeof indexedDB !== 'undefined' && indexedDB !== null;
      } catch {
        return false; // some sandboxed frames throw on access
      }
    })(),
    crossOriginIsolated: typeof crossOriginIsolated === 'boolean' && crossOriginIsolated,
    cores: typeof navigator === 'object' ? navigator.hardwareConcurrency || 1 : 1,
  };
  return detected;
}
