// Copies onnxruntime-web's .wasm files into dist/wasm/, where src/browser/wasm-files.ts points
// (with new URL(…, import.meta.url), so hosts' bundlers copy them into their builds too).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve('onnxruntime-web/package.json')), 'dist');
const target = new URL('../dist/wasm/', import.meta.url);
mkdirSync(target, { recursive: true });
for (const name of ['ort-wasm.wasm', 'ort-wasm-simd.wasm', 'ort-wasm-threaded.wasm', 'ort-wasm-simd-threaded.wasm']) {
  copyFileSync(join(source, name), new URL(name, target));
}
