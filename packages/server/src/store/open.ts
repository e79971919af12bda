import { resolve } from 'node:path';
import { FleetError } from '../errors.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** Where `semfilter serve` keeps its state when no --db is given. */
export const DEFAULT_DB = 'sqlite:./semfilter-server.db';

/**
 * Opens the store a `--db` URL names: `sqlite:PATH` (one instance; the default) or
 * `postgres://…` (several instances behind a load balancer). Bad URLs are a BAD_REQUEST naming
 * what was expected; the URL's password never appears in a message.
 */
export async function openFleetStore(url: string = DEFAULT_DB, cwd = process.cwd()): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new FleetError('BAD_REQUEST', '--db sqlite:PATH needs a file path');
    return new SqliteStore(path === ':memory:' ? path : resolve(cwd, path));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres.js');
    return new PostgresStore(url);
  }
  throw new FleetError('BAD_REQUEST', `--db ${redactDbUrl(url)}: expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE`);
}

/** A database URL fit for a message or a log: the password (in the authority or as `?password=`) replaced by ***. */
export function redactDbUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    // libpq also takes the password as a query parameter (postgres://u@h/db?password=…).
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
