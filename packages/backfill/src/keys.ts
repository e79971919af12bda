import type { CellValue, Key, KeyPart } from './types.js';

// Tagged JSON for the values plain JSON cannot carry exactly: 64-bit integers (SQLite keys above
// 2^53 read as numbers would name another row) and bytes. Everything else is plain JSON.
const BIGINT_TAG = '$int';
const BYTES_TAG = '$bytes';

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { [BIGINT_TAG]: value.toString() };
  // Buffer#toJSON runs before the replacer; a plain Uint8Array reaches it as itself.
  if (value instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(value).toString('base64') };
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return { [BYTES_TAG]: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const record = value as Record<string, unknown>;
  if (typeof record[BIGINT_TAG] === 'string') return BigInt(record[BIGINT_TAG]);
  if (typeof record[BYTES_TAG] === 'string') return Buffer.from(record[BYTES_TAG], 'base64');
  return value;
}

/** JSON text that keeps bigints and bytes exactly (for keys, cursors and journaled cells). */
export function encodeExact(value: unknown): string {
  // The journal encodes a key per changed row: a key of one integer or text skips the replacer.
  if (Array.isArray(value) && value.length === 1) {
    const [part] = value as unknown[];
    if (typeof part === 'bigint') return `[{"${BIGINT_TAG}":"${part}"}]`;
    if (typeof part === 'string' || typeof part === 'number') return `[${JSON.stringify(part)}]`;
  }
  return JSON.stringify(value, replacer);
}

/** Reads what `encodeExact` wrote, bigints and bytes included. */
export function decodeExact<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

/** A key part as a person reads it: text quoted, numbers as digits, bytes as x'…' hex. */
export function showKeyPart(part: KeyPart): string {
  if (typeof part === 'bigint' || typeof part === 'number') return String(part);
  if (part instanceof Uint8Array) return `x'${Buffer.from(part).toString('hex')}'`;
  return JSON.stringify(part);
}

/** A key as a person reads it: `42`, `"sku-1"`, or `(7, "b")` for a key of several columns. */
export function showKey(key: Key): string {
  return key.length === 1 ? showKeyPart(key[0]!) : `(${key.map(showKeyPart).join(', ')})`;
}

/** Whether two stored cell values are the same value of the same type (bytes compared byte by byte). */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  return typeof a === typeof b && a === b;
}

/** A map key for a row key (parts compared exactly, type included). */
export function keyId(key: Key): string {
  return encodeExact(key);
}
