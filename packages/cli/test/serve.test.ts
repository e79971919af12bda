// `semfilter serve` when it cannot run: it says why and exits, rather than hanging on an open store.
// Runs the built bin, as cli.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semfilter-cli-serve-'));

/** The bin with a bound on its life: a run that hangs fails the test (status null), it does not stall it. */
function serve(args: string[], db = `sqlite:${join(dir, 'fleet.db')}`) {
  const result = spawnSync(process.execPath, [BIN, 'serve', '--db', db, '--no-model', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.stop());

describe('semfilter serve', () => {
  it('exits with the reason when its port is taken, instead of staying up on the open store', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { status, stderr } = serve(['--port', String(port)]);
      expect(status).not.toBeNull(); // it exited
      expect(status).not.toBe(0);
      expect(stderr).toMatch(/EADDRINUSE|in use/);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      taken.close();
    }
  });

  it('refuses a --trust-proxy that is neither a hop count nor an address, and a --max-streams below 1', () => {
    expect(serve(['--trust-proxy', 'everyone'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--trust-proxy: expected a number of proxies or a proxy address or CIDR/) });
    // Hex digits and dots, but no address: refused here, not by the proxy-address parser at start (exit 70).
    expect(serve(['--trust-proxy', 'abc'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--trust-proxy: expected/) });
    expect(serve(['--trust-proxy', '10.0.0.0/33'])).toMatchObject({ status: 2 });
    expect(serve(['--max-streams', '0'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/--max-streams: expected a whole number of streams, at least 1/) });
  });

  it('on PostgreSQL, exits with the reason when the server refuses its --config, instead of staying up on the open pool', async () => {
    const db = await postgres.createDatabase('serve_bad_config');
    const config = join(dir, 'bad-rollout.json');
    writeFileSync(config, JSON.stringify({ schema: 1, flag: 'semantic-filter', mode: 'on', stage: 7, stages: [0.1, 1] }));
    const { status, stderr } = serve(['--port', '0', '--config', config], db);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--config .*bad-rollout\.json/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
