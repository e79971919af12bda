import { resolve } from 'node:path';
import { parsePostgresUrl, redactSecrets, redactUrl } from './credentials.js';
import { BackfillError, badInput } from './errors.js';
import { FileStore } from './file-store.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

// index.ts re-exports this module: the CLI scrubs its output with these, and format.ts prints through them.
export { commandDbArgument, MASK, parsePostgresUrl, redactSecrets, redactUrl, secretsOf, type PostgresUrl } from './credentials.js';

/** The store kinds `--db` accepts. */
export const STORE_KINDS = { SQLITE: 'sqlite', POSTGRES: 'postgres', FILE: 'file' } as const;

/** A parsed `--db` URL. */
export type StoreUrl =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly label: string; readonly secrets: readonly string[] }
  | { readonly kind: 'file'; readonly path: string; readonly format: 'json' | 'jsonl' };

const EXPECTED = 'expected sqlite:PATH, postgres://USER@HOST:PORT/DATABASE, or file:PATH.json / file:PATH.jsonl';

/**
 * Parses `--db`: `sqlite:PATH`, `postgres://…` (or `postgresql://…`), `file:PATH.json|.jsonl`. A
 * postgres `url` is rewritten so node-postgres reads it as meant (see `parsePostgresUrl`).
 */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreUrl {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { connectionString, label, secrets } = parsePostgresUrl(url);
    return { kind: 'postgres', url: connectionString, label, secrets };
  }
  const colon = url.indexOf(':');
  const scheme = colon < 0 ? '' : url.slice(0, colon);
  const rest = url.slice(colon + 1).replace(/^\/\/(?=\/)/, '');
  if (scheme === 'sqlite' && rest !== '') return { kind: 'sqlite', path: resolve(cwd, rest) };
  if (scheme === 'file' && rest !== '') {
    const format = rest.endsWith('.jsonl') ? 'jsonl' : rest.endsWith('.json') ? 'json' : undefined;
    if (format === undefined) throw badInput(`--db ${redactUrl(url)}: a file must end in .json or .jsonl; ${EXPECTED}`);
    return { kind: 'file', path: resolve(cwd, rest), format };
  }
  // a mistyped scheme may still carry a password (mysql://u:pw@…)
  throw badInput(`--db ${redactUrl(url)}: ${EXPECTED}`);
}

/** Opens the store `--db` names; read-only unless `writable` (plan, validate and status never write). */
export async function openStore(url: string, options: { readonly writable: boolean; readonly cwd?: string; readonly busyTimeoutMs?: number }): Promise<Store> {
  const parsed = parseStoreUrl(url, options.cwd);
  const label = redactUrl(url);
  switch (parsed.kind) {
    case 'sqlite':
      return new SqliteStore(label, parsed.path, options.writable, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    case 'postgres':
      try {
        return await PostgresStore.connect(parsed.label, parsed.url, options.writable);
      } catch (error) {
        // node-postgres may throw before connecting (an unreadable sslrootcert) or quote what it was given:
        // every failure to connect is the store's, names it, and shows no credential
        const message = error instanceof BackfillError ? error.message : `${parsed.label}: cannot connect (${error instanceof Error ? error.message : String(error)})`;
        throw new BackfillError(error instanceof BackfillError ? error.code : 'STORE', redactSecrets(message, parsed.secrets, [parsed.label]));
      }
    case 'file':
      return new FileStore(label, parsed.path, parsed.format);
  }
}
