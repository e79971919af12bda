import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a token may do. `client`: read one flag's config and send its metric snapshots (public, in
 * page source, like a GrowthBook client key); `debug`: the debug filter endpoint; `admin`: change
 * configs, read history and windows, manage webhooks.
 */
export const TOKEN_SCOPES = ['client', 'debug', 'admin'] as const;
/** One of TOKEN_SCOPES. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * Prefixes by scope, so a leaked token is recognisable by secret scanners and a token pasted into
 * the wrong place is refused by its shape before any lookup.
 */
const PREFIX: Record<TokenScope, string> = { client: 'sf_ck_', debug: 'sf_dbg_', admin: 'sf_adm_' };
/** 32 random bytes: 256 bits, well over the 128 a guessable-by-nobody token needs. */
const SECRET_BYTES = 32;
const TOKEN_SHAPE = /^sf_(ck|dbg|adm)_[A-Za-z0-9_-]{43}$/;

/** A token as stored: its SHA-256, never the token itself. */
export interface TokenRecord {
  /** A short public handle (the hash's first 12 hex digits) for list and revoke. */
  readonly id: string;
  /** Who holds it, as written to the config history ("alice", "ci"). */
  readonly name: string;
  readonly scope: TokenScope;
  /** The one flag a client token reads and reports for; null for debug and admin tokens. */
  readonly flag: string | null;
  /** Hex SHA-256 of the token. */
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** A new token: the secret to show once, and the record to store. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Makes a token of a scope for a holder; client tokens name their flag. */
export function issueToken(scope: TokenScope, name: string, flag: string | null, now: number): IssuedToken {
  if (scope === 'client' && flag === null) throw new TypeError('a client token needs the flag it reads and reports for');
  const token = PREFIX[scope] + randomBytes(SECRET_BYTES).toString('base64url');
  const hash = hashToken(token);
  return { token, record: { id: hash.slice(0, 12), name, scope, flag: scope === 'client' ? flag : null, hash, createdAt: now, revokedAt: null } };
}

/** Hex SHA-256 of a token: a token has 256 random bits, so a fast hash is as good as a slow one here. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Whether a string has the shape of one of our tokens (checked before anything is looked up). */
export function looksLikeToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/**
 * Finds the record a presented token belongs to. Every presented token is hashed and compared with
 * every live record's hash in constant time (digests of equal length), so the time taken says
 * nothing about how close a guess came; a map lookup by hash would be as safe for 256-bit secrets,
 * but this keeps the comparison obviously constant-time for the few dozen tokens a server holds.
 */
export function matchToken(presented: string, records: Iterable<TokenRecord>): TokenRecord | null {
  const digest = Buffer.from(hashToken(presented), 'hex');
  let found: TokenRecord | null = null;
  for (const record of records) {
    const stored = Buffer.from(record.hash, 'hex');
    if (stored.length === digest.length && timingSafeEqual(stored, digest) && record.revokedAt === null) found = record;
  }
  return looksLikeToken(presented) ? found : null;
}
