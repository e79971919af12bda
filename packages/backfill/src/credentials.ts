import { badInput } from './errors.js';

/** What stands in for a credential wherever one would be printed. */
export const MASK = '***';

/** Query parameters that hold a credential: password, sslpassword, and any name with pass, secret or token. */
const SECRET_PARAM = /pass|secret|token/i;

/** Stores whose `--db` is a path, not a URL: an `@` in a path names no user, so nothing there is masked. */
const PATH_SCHEMES = new Set(['sqlite', 'file']);

const SCHEMED = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Where the query starts: the first `?name=`. Found before the userinfo so that an `@` in a query
 * value (`?password=p@ss`) is not taken for the end of the userinfo; libpq parameter names are
 * identifiers, so a `?` in a password is only mistaken for the query when `identifier=` follows it.
 */
const QUERY_START = /\?[A-Za-z_][A-Za-z0-9_]*=/;

/** host, `[v6]` host or empty (a socket from PGHOST or `?host=`), then an optional numeric port. */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#[\]@]*)(?::\d*)?$/;

const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

const EXPECTED = 'expected postgres://USER:PASSWORD@HOST:PORT/DATABASE, with a / ? # @ or % in the password written %2F %3F %23 %40 %25';

interface UrlParts {
  readonly scheme: string;
  /** as written (percent-encoded or not); undefined when there is no `@` */
  readonly user: string | undefined;
  /** as written; undefined when the userinfo has no `:` */
  readonly password: string | undefined;
  readonly hostPort: string;
  /** as written, with its leading `/`, or '' */
  readonly path: string;
  /** name and value as written; the value is undefined for a bare `name` */
  readonly query: readonly (readonly [string, string | undefined])[];
}

/**
 * Takes a `scheme://` URL apart the way a user who did not percent-encode the password means it.
 * The userinfo ends at the last `@` before the query, so a password may hold raw `@`, `/`, `:`,
 * `#`, `?` and `%` (WHATWG URL ends the userinfo at the first `/`, `?` or `#`, libpq at the first
 * `@` or `/`: both misread or reject such a password). The price: an `@` in a database name must
 * be written %40, and a password holding `?name=` must be percent-encoded.
 */
function splitUrl(url: string): UrlParts | undefined {
  const scheme = SCHEMED.exec(url);
  if (scheme === null) return undefined;
  const rest = url.slice(scheme[0].length);
  const query = QUERY_START.exec(rest);
  const at = (query === null ? rest : rest.slice(0, query.index)).lastIndexOf('@');
  const userinfo = at < 0 ? undefined : rest.slice(0, at);
  const colon = userinfo?.indexOf(':') ?? -1;
  const tail = rest.slice(at + 1);
  const hostEnd = tail.search(/[/?]/);
  const hostPort = hostEnd < 0 ? tail : tail.slice(0, hostEnd);
  const afterHost = hostEnd < 0 ? '' : tail.slice(hostEnd);
  const mark = afterHost.indexOf('?');
  const search = mark < 0 ? '' : afterHost.slice(mark + 1);
  return {
    scheme: scheme[1]!,
    user: colon < 0 ? userinfo : userinfo!.slice(0, colon),
    password: colon < 0 ? undefined : userinfo!.slice(colon + 1),
    hostPort,
    path: mark < 0 ? afterHost : afterHost.slice(0, mark),
    query: search === '' ? [] : search.split('&').map((param) => {
      const equals = param.indexOf('=');
      return equals < 0 ? [param, undefined] : [param.slice(0, equals), param.slice(equals + 1)];
    }),
  };
}

/** Percent-decoding as libpq does it (`+` stays `+`); text with a stray `%` is taken as written. */
function decode(raw: string): string {
  if (BAD_ESCAPE.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // an escape that is not UTF-8 (%FF): as written
  }
}

const isSecretParam = (name: string): boolean => SECRET_PARAM.test(decode(name));

function join(parts: UrlParts, show: (value: string) => string, hideSecrets: boolean): string {
  const userinfo = parts.user === undefined || (parts.user === '' && !parts.password) ? '' : `${show(parts.user)}${parts.password ? `:${hideSecrets ? MASK : show(parts.password)}` : ''}@`;
  const query = parts.query.map(([name, value]) => (value === undefined ? show(name) : `${show(name)}=${hideSecrets && value !== '' && isSecretParam(name) ? MASK : show(value)}`));
  return `${parts.scheme}://${userinfo}${parts.hostPort}${parts.path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** Every form a credential may take in text: as written, decoded, and percent-encoded as URL code writes it. */
function forms(raw: string): string[] {
  const value = decode(raw);
  const found = [raw, value];
  try {
    const encoded = encodeURIComponent(value);
    const inUrl = new URL('postgres://host');
    inUrl.password = value;
    found.push(encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), inUrl.password, new URLSearchParams([['', value]]).toString().slice(1));
  } catch {
    // a lone surrogate cannot be encoded: its raw and decoded forms are all there is
  }
  return found;
}

function secretsOfParts(parts: UrlParts): string[] {
  const raw = [...(parts.password ? [parts.password] : []), ...parts.query.filter(([name, value]) => value && isSecretParam(name)).map(([, value]) => value!)];
  return [...new Set(raw.flatMap(forms))].filter((secret) => secret !== '');
}

/** A `postgres://` URL as the backfill uses it. */
export interface PostgresUrl {
  /** The URL with every credential masked, for messages and reports. */
  readonly label: string;
  /** The same connection written so node-postgres reads it as meant: each part percent-encoded once. */
  readonly connectionString: string;
  /** Every credential in the URL, in each form it may be printed in (see `redactSecrets`). */
  readonly secrets: readonly string[];
}

/** What node-postgres (pg-connection-string) accepts: WHATWG URL, retried with a stand-in for an empty host. */
function pgCanParse(url: string): boolean {
  for (const candidate of [url, url.replace('@/', '@___DUMMY___/')]) {
    try {
      new URL(candidate, 'postgres://base');
      return true;
    } catch {
      // try the next form, as pg-connection-string does
    }
  }
  return false;
}

/** Encodes a database path for pg, which decodes it with `decodeURI`: valid escapes stay, `#` and stray `%` do not end it. */
const encodePath = (path: string): string => path.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));

/** Reads a `postgres://` or `postgresql://` `--db`; a URL it cannot read is BAD_INPUT, its message showing no part of it that may be secret. */
export function parsePostgresUrl(url: string): PostgresUrl {
  const parts = splitUrl(url);
  const unreadable = (why: string) => badInput(`--db ${redactUrl(url)}: ${why}; ${EXPECTED}`);
  if (parts === undefined) throw unreadable('not a URL');
  // the host is not shown: when a password was misread, it holds part of it
  if (!HOST_PORT.test(parts.hostPort) || BAD_ESCAPE.test(parts.hostPort)) throw unreadable('cannot read the host and port');
  const encode = (value: string) => encodeURIComponent(decode(value));
  // encodeURIComponent leaves no stray % and no space, so pg never re-encodes this string
  const connectionString = join({ ...parts, path: encodePath(parts.path) }, encode, false);
  if (!pgCanParse(connectionString)) throw unreadable('cannot read the host and port');
  return { label: join(parts, (value) => value, true), connectionString, secrets: secretsOfParts(parts) };
}

/** The scheme of `--db` in lower case, or '' when it has none. */
const schemeOf = (url: string): string => /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';

/** In a URL this cannot read: what sits after `scheme:` (or `scheme://`) and before the last `@`. */
function unreadableUserinfo(url: string): string | undefined {
  const start = url.indexOf(':') + (SCHEMED.test(url) ? 3 : 1);
  const at = url.lastIndexOf('@');
  return url.indexOf(':') < 0 || at < start ? undefined : url.slice(start, at);
}

/** The URL with every credential masked: a userinfo password and password-like query values; the user stays. */
export function redactUrl(url: string): string {
  if (PATH_SCHEMES.has(schemeOf(url))) return url;
  const parts = splitUrl(url);
  if (parts !== undefined && (HOST_PORT.test(parts.hostPort) || !url.includes('@'))) return join(parts, (value) => value, true);
  // unreadable, with an `@`: any of it may be a password, so none of it is shown
  if (parts !== undefined) return `${parts.scheme}://${MASK}`;
  const masked = url.replace(/([?&][^=&]*(?:pass|secret|token)[^=&]*=)[^&]+/gi, `$1${MASK}`);
  const userinfo = unreadableUserinfo(masked);
  return userinfo === undefined ? masked : masked.replace(`${userinfo}@`, `${MASK}@`);
}

/** Every credential in a `--db` value, in each form it may be printed in; [] for a path or plain text. */
export function secretsOf(url: string): string[] {
  if (PATH_SCHEMES.has(schemeOf(url))) return [];
  const parts = splitUrl(url);
  const found = parts === undefined ? [] : secretsOfParts(parts);
  if (parts !== undefined && HOST_PORT.test(parts.hostPort)) return found;
  const userinfo = unreadableUserinfo(url);
  const colon = userinfo?.indexOf(':') ?? -1;
  const guess = colon < 0 ? [] : forms(userinfo!.slice(colon + 1));
  return [...new Set([...found, ...guess])].filter((secret) => secret !== '');
}

function scrubText(text: string, secrets: readonly string[], keep: readonly string[]): string {
  const [kept, ...others] = keep;
  if (kept === undefined) return secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join(MASK), text);
  return text.split(kept).map((part) => scrubText(part, secrets, others)).join(kept);
}

/**
 * Replaces every secret in `text` by ***, longest first. `keep` lists labels `redactUrl` made: they
 * stay whole, so a user named like the password still shows. A JSON document stays valid JSON:
 * only its strings are scrubbed, never a number that happens to match a digit-only password.
 */
export function redactSecrets(text: string, secrets: readonly string[], keep: readonly string[] = []): string {
  const list = [...new Set(secrets)].filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
  const labels = keep.filter((label) => label !== '');
  if (list.length === 0) return text;
  if (/^\s*[[{]/.test(text)) {
    try {
      JSON.parse(text);
      return text.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => {
        const value = JSON.parse(literal) as string;
        const scrubbed = scrubText(value, list, labels);
        return scrubbed === value ? literal : JSON.stringify(scrubbed);
      });
    } catch {
      // not JSON after all: scrub it as text
    }
  }
  return scrubText(text, list, labels);
}

/**
 * The `--db` value to print in a command to copy, from a label: masked credentials are left out (a
 * `***` there would be sent as the password; without one node-postgres reads PGPASSWORD or
 * ~/.pgpass), shell-quoted when needed. `hidden` says whether anything was left out.
 */
export function commandDbArgument(label: string): { readonly text: string; readonly hidden: boolean } {
  const parts = splitUrl(label);
  const query = parts?.query.filter(([name, value]) => !(value === MASK && isSecretParam(name))) ?? [];
  const hidden = parts !== undefined && !PATH_SCHEMES.has(parts.scheme.toLowerCase()) && (parts.password === MASK || query.length < parts.query.length);
  const url = hidden ? join({ ...parts, password: undefined, query }, (value) => value, false) : label;
  return { text: /^[\w@%+=:,./-]+$/.test(url) ? url : `'${url.replace(/'/g, `'\\''`)}'`, hidden };
}
