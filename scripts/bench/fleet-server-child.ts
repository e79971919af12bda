/**
 * One server for `npm run bench:server`, in a process of its own so it does not share a core with
 * the load generator. Modes: `fleet sqlite:PATH|postgres://…` (the fleet server) and `bare`
 * (node:http answering the fleet server's exact answers — status, headers and body, 200 and 304 —
 * given in SEMFILTER_BENCH_ANSWERS: the baseline). Prints `READY <port> <client key>` when
 * listening; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import { createFleetServer, issueToken, openFleetStore } from '@semfilter/server';
import { BENCH_CONFIG } from './fleet-data.js';

const [mode, db] = process.argv.slice(2);

if (mode === 'bare') {
  // The fleet server's own answers, as the benchmark read them: the same status lines, headers and body.
  const { body, etag, headers200, headers304 } = JSON.parse(process.env.SEMFILTER_BENCH_ANSWERS ?? '{}') as { body: string; etag: string; headers200: Record<string, string>; headers304: Record<string, string> };
  const server = createServer((request, response) => {
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, headers304).end();
    response.writeHead(200, headers200).end(body);
  });
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => console.log(`READY ${(server.address() as { port: number }).port} -`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else if (mode === 'fleet' && db !== undefined) {
  const store = await openFleetStore(db);
  // As deployed for a browser app on another origin: CORS on, rate limits out of the way of one load generator.
  const server = await createFleetServer({ store, allowedOrigins: ['https://shop.example'], limits: { publicPerMinute: 100_000_000, adminPerMinute: 100_000_000 }, evaluateEveryMs: 0 });
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
