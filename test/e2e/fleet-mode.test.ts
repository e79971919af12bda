// End-to-end: the playground's fleet mode. A real fleet server (SQLite on a temporary file) serves
// demo/rollout.json's flag; the built playground, opened with `?fleet=…&key=…` in Debian's Chromium,
// reads its config from the server, sends its metric snapshots there, and hears a kill switch set on
// the server over the event stream, without a reload.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetServer, issueToken, SqliteStore, type FleetServer } from '@semfilter/server';
import { collectFailures } from '../support/chromium.js';
import { startPlayground, type Playground } from '../support/playground.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The Rollout section in fleet mode after the kill switch, for a person to look at (test/e2e/output is not committed). */
const SCREENSHOT = join(ROOT, 'test/e2e/output/fleet-mode.png');
const DEMO_CONFIG = JSON.parse(readFileSync(join(ROOT, 'demo/rollout.json'), 'utf8')) as { flag: string; stage: number; mode: string };
const FLAG = DEMO_CONFIG.flag;
/** A demo id whose bucket (0.0517) is inside demo/rollout.json's 25% stage and on no list. */
const IN_ROLLOUT_ID = 'demo-user-6';
/** The bound of every wait on the page or the server (the traffic's first model load excepted). */
const WAIT = { timeout: 15_000 };
/** "Send 60 requests" loads the model on its first semantic run: the rollout test's bound. */
const TRAFFIC_WAIT = { timeout: 90_000 };
/** The only 404 a healthy page may meet. */
const EXPECTED_MISSES = /\/favicon\.ico$/;

/** Text of the first element matching `selector` in the panel's shadow root ('' when there is none). */
function panelText(page: Page, selector: string): Promise<string> {
  return page.locator('semfilter-rollout-panel').evaluate((panel, s) => panel.shadowRoot!.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim() ?? '', selector);
}

const fleetStatus = (page: Page) => page.locator('#fleet-status').innerText();

describe('the playground in fleet mode, against a real fleet server', () => {
  let playground: Playground | undefined;
  let server: FleetServer | undefined;
  let dir: string | undefined;
  let serverUrl: string;
  let key: string;

  beforeAll(async () => {
    playground = await startPlayground();
    dir = mkdtempSync(join(tmpdir(), 'semfilter-fleet-mode-'));
    const store = new SqliteStore(join(dir, 'fleet.db'));
    // evaluateEveryMs 0: no fleet guardrail acts on its own during the test; the kill switch is the test's.
    server = await createFleetServer({ store, evaluateEveryMs: 0, allowedOrigins: [playground.withModel.url] });
    await server.flags.put(FLAG, DEMO_CONFIG, undefined, { actor: 'test', reason: 'created from demo/rollout.json' });
    const issued = issueToken('client', 'playground', FLAG, Date.now());
    await store.insertToken(issued.record);
    await server.reloadTokens();
    key = issued.token;
    serverUrl = await server.listen(0);
  });
  afterAll(async () => {
    await playground?.close(); // the browser first: its event stream ends before the server closes
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the flag from the server, reports snapshots to it, and shows a kill switch set there without a reload', async () => {
    const page = await (await playground!.browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
    const failures = collectFailures(page, EXPECTED_MISSES);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    const fleetParams = `fleet=${encodeURIComponent(serverUrl)}&key=${encodeURIComponent(key)}`;
    await page.goto(`${playground!.withModel.url}/?${fleetParams}`);

    // The status line says fleet mode, which server, and the version it served (the flag's first).
    const status = page.locator('#fleet-status');
    expect(await status.getAttribute('role')).toBe('status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => fleetStatus(page), WAIT).toMatch(new RegExp(`^Fleet mode: flag ${FLAG} from ${serverUrl.replace(/[.]/g, '\\.')}, config version 1\\.`));
    expect(await fleetStatus(page)).toMatch(/No snapshot sent yet/);
    expect(await page.locator('#fleet-hint').isHidden()).toBe(true);
    expect(await page.locator('#rollout-source').innerText()).toMatch(/fleet server's flag semantic-filter/);

    await expect.poll(() => panelText(page, '[data-reason]'), TRAFFIC_WAIT).toBe('NO_USER_ID');
    await page.getByLabel('User id').fill(IN_ROLLOUT_ID);
    await expect.poll(() => panelText(page, '[data-reason]'), WAIT).toBe('IN_ROLLOUT');
    await page.getByRole('button', { name: 'Send 60 requests' }).click();
    await expect.poll(() => page.locator('#traffic-status').innerText(), TRAFFIC_WAIT).toMatch(/^Sent 60 requests: \d+ served by semantic mode/);

    // Within one 10 s reporting interval the server holds the page's snapshots, for the stage in force.
    const stageKey = { flag: FLAG, stage: DEMO_CONFIG.stage, mode: DEMO_CONFIG.mode };
    await expect.poll(async () => (await server!.store.windowData(stageKey, 0, Number.MAX_SAFE_INTEGER)).snapshots, WAIT).toBeGreaterThan(0);
    const data = await server!.store.windowData(stageKey, 0, Number.MAX_SAFE_INTEGER);
    expect(data.clients).toBe(1);
    expect(data.semantic.length + data.traditional.length).toBeGreaterThan(0);
    await expect.poll(() => fleetStatus(page), WAIT).toMatch(/\b\d+ snapshots? sent; last at \d\d:\d\d:\d\d\.$/);

    // A preset chosen by hand rewrites the address: fleet mode's parameters stay in it.
    await page.getByRole('button', { name: 'Casual Friday', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('preset'), WAIT).toBe('casual-friday');
    expect(new URL(page.url()).searchParams.get('fleet')).toBe(serverUrl);
    expect(new URL(page.url()).searchParams.get('key')).toBe(key);

    // The kill switch, set on the server, reaches the open page over the event stream: no reload.
    await page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));
    const { served } = await server!.flags.act(FLAG, 'kill', { actor: 'test', reason: 'fleet-mode e2e' });
    expect(served.version.version).toBe(2);
    await expect.poll(() => panelText(page, '[data-reason]'), WAIT).toBe('KILL_SWITCH');
    await expect.poll(() => fleetStatus(page), WAIT).toMatch(/config version 2\./);
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    expect(await page.locator('semfilter-debugger [part~="semantic-toggle"]').getAttribute('aria-checked')).toBe('false');

    mkdirSync(join(ROOT, 'test/e2e/output'), { recursive: true });
    await page.locator('section.rollout').screenshot({ path: SCREENSHOT });

    expect(consoleLines.filter((line) => line.includes(key))).toEqual([]); // the key is never logged
    expect(failures).toEqual([]);
  });

  it('without fleet parameters: no status line, and the intro says how to get fleet mode', async () => {
    const page = await (await playground!.browser.newContext()).newPage();
    const failures = collectFailures(page, EXPECTED_MISSES);
    await page.goto(`${playground!.withModel.url}/`);
    await expect.poll(() => panelText(page, '[data-reason]'), TRAFFIC_WAIT).toBe('NO_USER_ID');
    expect(await page.locator('#fleet-status').isHidden()).toBe(true);
    expect(await page.locator('#fleet-hint').innerText()).toMatch(/run npm run serve and open the address it prints/);
    expect(await page.locator('#rollout-source').innerText()).toMatch(/The config is demo\/rollout\.json/);
    expect(failures).toEqual([]);
  });
});
