import { resolve } from 'node:path';
import { badInput } from './errors.js';
import { FileStore } from './file-store.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** The store kinds `--db` accepts. */
export const STORE_KINDS = { SQLITE: 'sqlite', POSTGRES: 'postgres', FILE: 'file' } as const;

/** A parsed `--db` URL. */
export type StoreUrl =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string; readonly format: 'json' | 'jsonl' };

const EXPECTED = 'expected sqlite:PATH, postgres://USER@HOST:PORT/DATABASE, or file:PATH.json / file:PATH.jsonl';

/** Parses `--db`: `sqlite:PATH`, `postgres://…` (or `postgresql://…`), `file:PATH.json|.jsonl`. */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreUrl {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  const colon = url.indexOf(':');
  const scheme = colon < 0 ? '' : url.slice(0, colon);
  const rest = url.slice(colon + 1).replace(/^\/\/(?=\/)/, '');
  if (scheme === 'sqlite' && rest !== '') return { kind: 'sqlite', path: resolve(cwd, rest) };
  if (scheme === 'file' && rest !== '') {
    const format = rest.endsWith('.jsonl') ? 'jsonl' : rest.endsWith('.json') ? 'json' : undefined;
    if (format === undefined) throw badInput(`--db ${url}: a file must end in .json or .jsonl; ${EXPECTED}`);
    return { kind: 'file', path: resolve(cwd, rest), format };
  }
  throw badInput(`--db ${url}: ${EXPECTED}`);
}

/** Hides a password in a URL before it appears in a message. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** Opens the store `--db` names; read-only unless `writable` (plan, validate and status never write). */
export async function openStore(url: string, options: { readonly writable: boolean; readonly cwd?: string }): Promise<Store> {
  const parsed = parseStoreUrl(url, options.cwd);
  const label = redactUrl(url);
  switch (parsed.kind) {
    case 'sqlite':
      return new SqliteStore(label, parsed.path, options.writable);
    case 'postgres':
      return PostgresStore.connect(label, parsed.url, options.writable);
    case 'file':
      return new FileStore(label, parsed.path, parsed.format);
  }
}
