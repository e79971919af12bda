/**
 * One server for `npm run bench:server`, in a process of its own so it does not share a core with
 * the load generator. Modes: `bare` (node:http answering the config's exact bytes, ETag and 304:
 * the baseline) and `fleet sqlite:PATH|postgres://…` (the fleet server). Prints `READY <port>
 * <client key>` when listening; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import { createFleetServer, issueToken, openFleetStore } from '@semfilter/server';
import { BENCH_CONFIG } from './fleet-data.js';

const [mode, db] = process.argv.slice(2);

if (mode === 'bare') {
  const body = JSON.stringify({ ...BENCH_CONFIG, version: 1 });
  const etag = '"1-bench"';
  const server = createServer((request, response) => {
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag, 'cache-control': 'no-cache' }).end();
    response.writeHead(200, { etag, 'cache-control': 'no-cache', 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as { port: number }).port} -`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else if (mode === 'fleet' && db !== undefined) {
  const store = await openFleetStore(db);
  const server = await createFleetServer({ store, limits: { publicPerMinute: 100_000_000, adminPerMinute: 100_000_000 }, evaluateEveryMs: 0 });
  await server.flags.put(BENCH_CONFIG.flag, BENCH_CONFIG, undefined, { actor: 'bench' });
  const key = issueToken('client', 'bench', BENCH_CONFIG.flag, Date.now());
  await store.insertToken(key.record);
  await server.reloadTokens();
  const url = await server.listen(0);
  console.log(`READY ${new URL(url).port} ${key.token}`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  console.error('usage: fleet-server-child.ts bare | fleet sqlite:PATH|postgres://…');
  process.exit(2);
}
