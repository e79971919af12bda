import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { pino } from 'pino';
import type { Embedder } from '@semfilter/core';
import { createNodeEmbedder, resolveModelsDir } from '@semfilter/node';
import { createFleetServer, DEFAULT_DB, FleetError, issueToken, openFleetStore, redactDbUrl, TOKEN_SCOPES, type FleetServer, type Store, type TokenScope } from '@semfilter/server';
import { parseCommandArgs } from '../args.js';
import { badInput } from '../errors.js';

const USAGE = `semfilter serve [--db sqlite:PATH|postgres://…] [--port 8787] [--host 127.0.0.1]
                [--origin https://app.example]… [--config FILE] [--no-model]
                [--trust-proxy HOPS|ADDRESS]… [--max-streams 5000]
                [--playground http://localhost:5173/]   (with --config: prints the playground's fleet-mode link)
semfilter serve token create --scope admin|client|debug --name NAME [--flag FLAG] [--db …]
semfilter serve token list [--db …]
semfilter serve token revoke ID [--db …]`;

/** `semfilter serve`: runs the fleet server until SIGINT or SIGTERM; `serve token …` manages tokens. */
export async function serveCommand(args: readonly string[]): Promise<string> {
  if (args[0] === 'token') return tokenCommand(args.slice(1));
  const { values } = parseCommandArgs('serve', args, {
    db: { type: 'string', default: DEFAULT_DB },
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    origin: { type: 'string', multiple: true },
    config: { type: 'string' },
    playground: { type: 'string' },
    'no-model': { type: 'boolean', default: false },
    'trust-proxy': { type: 'string', multiple: true },
    'max-streams': { type: 'string', default: '5000' },
  });
  const trustProxy = trustProxyOption(values['trust-proxy']);
  const maxStreams = Number(values['max-streams']);
  if (!Number.isInteger(maxStreams) || maxStreams < 1) throw badInput(`semfilter serve --max-streams: expected a whole number of streams, at least 1, received "${values['max-streams']}"`);
  const playground = values.playground === undefined ? null : playgroundUrl(values.playground, values.config);
  const config = values.config === undefined ? null : readConfigFile(values.config);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw badInput(`semfilter serve --port: expected a port from 0 to 65535, received "${values.port}"`);
  const store = await open(values.db);
  // JSON logs on stdout; tokens, keys and secrets redacted wherever a field carries one.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', redact: { paths: ['req.headers.authorization', '*.authorization', '*.token', '*.key', '*.secret', '*.password'], censor: '[redacted]' } });
  const allowedOrigins = [...new Set([...(values.origin ?? []), ...(playground === null ? [] : [playground.origin])])];
  let server: FleetServer;
  try {
    server = await createFleetServer({ store, logger, allowedOrigins, trustProxy, maxStreams, embedder: values['no-model'] ? undefined : lazyEmbedder() });
  } catch (error) {
    await store.close(); // an open PostgreSQL pool would keep the process alive after the error
    throw error;
  }
  // Until it listens, any failure (a config the server refuses, a port in use) closes the server and
  // its store: an open PostgreSQL pool or watch would keep the process alive after the error.
  let started: { url: string; lines: string[]; key: string | null };
  try {
    started = await prepareAndListen(server, store, config, playground, port, values.host);
  } catch (error) {
    await server.close();
    throw listenError(error, port, values.host);
  }
  const { url, lines, key } = started;
  if (playground !== null && key !== null) {
    playground.searchParams.set('fleet', url);
    playground.searchParams.set('key', key);
  }
  process.stdout.write(
    [
      `semfilter fleet server on ${url} (store: ${redactDbUrl(values.db)})`,
      ...lines,
      ...(playground === null ? [] : [`playground in fleet mode: ${playground.href}`]),
      `  flags:   GET ${url}/v1/flags (admin)   config: GET ${url}/v1/flags/FLAG?key=CLIENT_KEY`,
      `  health:  ${url}/healthz  ${url}/readyz   Prometheus: ${url}/metrics`,
      values['no-model'] ? '  debug endpoint: without the model (--no-model)' : `  debug endpoint: POST ${url}/v1/debug/filter, model from ${resolveModelsDir()} (set SEMFILTER_MODELS_DIR to move it)`,
      '  stop with Ctrl+C',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Graceful: streams closed (clients reconnect elsewhere), in-flight requests finished, deliveries flushed.
  const deadline = setTimeout(() => process.exit(1), 10_000);
  deadline.unref();
  await server.close();
  return '';
}

/** Issues the first admin token, seeds the flag and the playground's key, then listens. */
async function prepareAndListen(server: FleetServer, store: Store, config: ConfigFile | null, playground: URL | null, port: number, host: string): Promise<{ url: string; lines: string[]; key: string | null }> {
  const lines: string[] = [];
  if ((await store.listTokens()).every((t) => t.scope !== 'admin' || t.revokedAt !== null)) {
    const admin = issueToken('admin', 'admin', null, Date.now());
    await store.insertToken(admin.record);
    await server.reloadTokens();
    lines.push(`admin token (shown once, keep it safe): ${admin.token}`, '  more tokens: semfilter serve token create --scope client --name web --flag semantic-filter');
  }
  if (config !== null) lines.push(await seedFlag(server.flags, config));
  const key = playground === null || config === null ? null : await playgroundKey(store, config.flag);
  if (key !== null) await server.reloadTokens();
  return { url: await server.listen(port, host), lines, key };
}

/** A port that cannot be taken is the user's choice to change, so it is said as bad input, not as a stack. */
function listenError(error: unknown, port: number, host: string): unknown {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return badInput(`semfilter serve --port ${port}: ${where} is in use (EADDRINUSE) by another process; stop it or choose another port`);
  if (code === 'EACCES') return badInput(`semfilter serve --port ${port}: not allowed to listen on ${where} (EACCES); ports below 1024 need privileges, choose another port`);
  if (code === 'EADDRNOTAVAIL') return badInput(`semfilter serve --host ${host}: no network interface here has that address (EADDRNOTAVAIL)`);
  return error;
}

/**
 * `--trust-proxy`: one whole number is how many proxies in front to trust (X-Forwarded-For hops);
 * otherwise each value is a proxy address or CIDR. Absent: X-Forwarded-For is ignored, so a client
 * cannot pick its own rate-limit bucket.
 */
function trustProxyOption(values: readonly string[] | undefined): false | number | readonly string[] {
  if (values === undefined || values.length === 0) return false;
  if (values.length === 1 && /^\d+$/.test(values[0]!)) return Number(values[0]);
  const bad = values.find((value) => !isAddressOrCidr(value));
  if (bad !== undefined) throw badInput(`semfilter serve --trust-proxy: expected a number of proxies or a proxy address or CIDR (10.0.0.0/8), received "${bad}"`);
  return values;
}

/** 10.0.0.1, ::1, 10.0.0.0/8 or fd00::/8: what Fastify's proxy-addr takes (anything else throws there, at start). */
function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

async function open(db: string): Promise<Store> {
  try {
    return await openFleetStore(db);
  } catch (error) {
    if (error instanceof FleetError) throw badInput(`semfilter serve: ${error.message}`);
    throw error;
  }
}

/** The Node model, loaded on the debug endpoint's first call (a server that never gets one never loads it). */
function lazyEmbedder(): () => Promise<Embedder> {
  let loading: Promise<Embedder> | null = null;
  return () => {
    loading ??= (async () => {
      const embedder = createNodeEmbedder({ dtype: 'fp32' });
      await embedder.embed(['model check']);
      return embedder;
    })().catch((error: unknown) => {
      loading = null; // try again on the next call: the model may have been fetched meanwhile
      throw error;
    });
    return loading;
  };
}

/** The `--playground` page's address (http or https); it needs `--config`, whose flag its client key is made for. */
function playgroundUrl(text: string, config: string | undefined): URL {
  if (config === undefined) throw badInput('semfilter serve --playground: needs --config FILE too (the flag the playground\'s client key reads and reports for)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(`semfilter serve --playground: expected the playground's address (http://localhost:5173/), received "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`semfilter serve --playground: expected an http or https address, received "${text}"`);
  url.searchParams.delete('fleet');
  url.searchParams.delete('key');
  url.hash = '';
  return url;
}

/** A config file as given to `--config`: its parsed JSON and the flag it names (checked when the flag is created). */
interface ConfigFile {
  readonly file: string;
  readonly config: unknown;
  readonly flag: string;
}

function readConfigFile(file: string): ConfigFile {
  let config: { flag?: unknown };
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as { flag?: unknown };
  } catch (error) {
    throw badInput(`semfilter serve --config ${file}: ${(error as Error).message}`);
  }
  return { file, config, flag: typeof config?.flag === 'string' ? config.flag : '' };
}

/** Creates the flag of a config file when the server has none of that name (so `npm run serve` starts on the demo config). */
async function seedFlag(flags: FleetServer['flags'], { file, config, flag }: ConfigFile): Promise<string> {
  if (flags.get(flag) !== undefined) return `  flag "${flag}" kept as stored (version ${flags.get(flag)!.version.version}); --config only creates a missing flag`;
  try {
    const { served } = await flags.put(flag, config, undefined, { actor: 'semfilter serve --config', reason: `created from ${file}` });
    return `  flag "${flag}" created from ${file} (version ${served.version.version})`;
  } catch (error) {
    if (error instanceof FleetError) throw badInput(`semfilter serve --config ${file}: ${error.message}${(error.issues ?? []).map((i) => `\n  ${i.path}: ${i.message}`).join('')}`);
    throw error;
  }
}

/** The name of the client token `--playground` makes: one live at a time per flag, replaced on every start. */
const PLAYGROUND_TOKEN_NAME = 'playground';

/** Revokes the flag's live `playground` client tokens and issues a fresh one; returns it (the caller reloads the server's tokens). */
async function playgroundKey(store: Store, flag: string): Promise<string> {
  const now = Date.now();
  for (const token of await store.listTokens()) {
    if (token.name === PLAYGROUND_TOKEN_NAME && token.scope === 'client' && token.flag === flag && token.revokedAt === null) await store.revokeToken(token.id, now);
  }
  const issued = issueToken('client', PLAYGROUND_TOKEN_NAME, flag, now);
  await store.insertToken(issued.record);
  return issued.token;
}

async function tokenCommand(args: readonly string[]): Promise<string> {
  const [action, ...rest] = args;
  const { values, positionals } = parseCommandArgs(`serve token ${action ?? ''}`.trim(), rest, { db: { type: 'string', default: DEFAULT_DB }, scope: { type: 'string' }, name: { type: 'string' }, flag: { type: 'string' } }, true);
  const store = await open(values.db);
  try {
    await store.migrate();
    if (action === 'create') {
      const scope = values.scope as TokenScope | undefined;
      if (scope === undefined || !TOKEN_SCOPES.includes(scope)) throw badInput(`semfilter serve token create --scope: expected one of ${TOKEN_SCOPES.join(', ')}`);
      if (values.name === undefined || !/^[\w .@-]{1,100}$/.test(values.name)) throw badInput('semfilter serve token create --name: expected who holds it (1 to 100 letters, digits, spaces, . @ - _)');
      if (scope === 'client' && values.flag === undefined) throw badInput('semfilter serve token create --scope client: --flag FLAG is required (a client key reads and reports for one flag)');
      const issued = issueToken(scope, values.name, values.flag ?? null, Date.now());
      await store.insertToken(issued.record);
      return `${issued.token}\n`;
    }
    if (action === 'list') {
      const rows = (await store.listTokens()).map((t) => ({ id: t.id, name: t.name, scope: t.scope, flag: t.flag, created: new Date(t.createdAt).toISOString(), revoked: t.revokedAt === null ? null : new Date(t.revokedAt).toISOString() }));
      return `${JSON.stringify(rows, null, 2)}\n`;
    }
    if (action === 'revoke') {
      const id = positionals[0];
      if (id === undefined) throw badInput('semfilter serve token revoke ID: the token id from `semfilter serve token list`');
      if (!(await store.revokeToken(id, Date.now()))) throw badInput(`semfilter serve token revoke: no live token with id "${id}"`);
      return `revoked ${id} (running servers stop taking it within 10 s)\n`;
    }
    throw badInput(`semfilter serve token: expected create, list or revoke\n${USAGE}`);
  } finally {
    await store.close();
  }
}
