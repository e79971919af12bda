/**
 * onnxruntime-web's `.wasm` files as shipped in dist/wasm/, each named with the literal
 * `new URL('…', import.meta.url)` form so hosts' bundlers copy them into their builds.
 */
export function bundledWasmPaths(): Record<string, string> {
  return {
    'ort-wasm.wasm': new URL('../wasm/ort-wasm.wasm', import.meta.url).href,
    'ort-wasm-simd.wasm': new URL('../wasm/ort-wasm-simd.wasm', import.meta.url).href,
    'ort-wasm-threaded.wasm': new URL('../wasm/ort-wasm-threaded.wasm', import.meta.url).href,
    'ort-wasm-simd-threaded.wasm': new URL('../wasm/ort-wasm-simd-threaded.wasm', import.meta.url).href,
  };
}
