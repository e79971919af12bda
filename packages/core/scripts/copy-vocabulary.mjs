// Copies the embedded vocabulary (src/semantic/vocabulary/vocabulary.bin, written by
// scripts/vocabulary/build-pack.ts) into dist/semantic/vocabulary/, beside pack-format.js: tsc copies
// only what it compiles. src/browser/vocabulary-chunk.ts points at it with new URL(…, import.meta.url),
// so hosts' bundlers copy it into their builds too.
import { copyFileSync, mkdirSync } from 'node:fs';

const source = new URL('../src/semantic/vocabulary/vocabulary.bin', import.meta.url);
const target = new URL('../dist/semantic/vocabulary/', import.meta.url);
mkdirSync(target, { recursive: true });
copyFileSync(source, new URL('vocabulary.bin', target));
