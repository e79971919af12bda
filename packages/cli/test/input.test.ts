// readText on inputs whose size stat cannot tell: a stream with no end is refused at the limit
// instead of exhausting memory (it crashed the process with std::bad_alloc before), and stdin
// still reads whole.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readText } from '../src/input.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('readText', () => {
  it('stops a stream with no end at the size limit, naming the file', () => {
    expect(() => readText('/dev/zero')).toThrow(/^\/dev\/zero: more than the 268435456-byte limit$/);
  });

  it('reads stdin to its end when the file is "-"', () => {
    const items = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: `item-${i}`, style: 'casual' })));
    const result = spawnSync(process.execPath, [BIN, 'filter', '--items', '-', '--style', 'casual'], { input: items, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).items).toHaveLength(3000);
  });
});
