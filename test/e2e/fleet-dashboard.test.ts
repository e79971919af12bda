// End-to-end: the operator's fleet dashboard. A real fleet server (SQLite on a temporary file) on
// 127.0.0.1 serves its page at `/`; Debian's Chromium opens it, signs in with the admin token, and
// follows a simulated fleet of 100 clients posting snapshots over real HTTP. The fleet fails, the
// guardrails roll the flag back, and the page shows it from the admin stream's push; the operator
// then presses the kill switch on the page (keyboard only, with its confirmation) and clients are
// served it. Writes docs/fleet-dashboard.png (desktop, during the rollback) and
// docs/fleet-dashboard-phone.png (390 px).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer, type ClientProfile, type TestServer } from '../../packages/server/test/support.js';
import { collectFailures, launchChromium } from '../support/chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WINDOW_MS = 5 * 60_000;
const HOUR = 60 * 60_000;
const CLIENTS = 100;
const FLAG = 'canary';
/** Every wait on the page: one push, one render. */
const WAIT = { timeout: 10_000 };
const HEALTHY: ClientProfile = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 120, semanticFallbackRate: 0, passRate: 0.5, semanticPassRate: 0.55 };
const FAILING: ClientProfile = { ...HEALTHY, semanticFallbackRate: 0.3 };

// The server's clock starts at the current hour so the page's times read like today's.
const clock = manualClock(Math.floor(Date.now() / HOUR) * HOUR);
let t: TestServer;
let key: string;
let browser: Browser;
let page: Page;
let failures: string[];

const dashboard = (page: Page) => page.locator('semfilter-fleet-dashboard');

/** One window of traffic from the whole fleet at the flag's current stage, then the evaluator runs at the window's end. */
async function runWindow(profile: ClientProfile): Promise<void> {
  const served = (await (await t.adminFetch(`/v1/flags/${FLAG}`)).json()) as { version: number; stage: number };
  const start = Math.floor(clock() / WINDOW_MS) * WINDOW_MS;
  clock.set(start + WINDOW_MS / 2);
  const random = seeded(start / WINDOW_MS);
  const snapshots = Array.from({ length: CLIENTS }, (_, i) => clientSnapshot(`dashboard-client-${String(i).padStart(6, '0')}`, { flag: FLAG, version: served.version, stage: served.stage, mode: 'on' }, profile, random, clock()));
  for (let i = 0; i < snapshots.length; i += 25) {
    const responses = await Promise.all(snapshots.slice(i, i + 25).map((snapshot) => sendSnapshots(t.url, key, [snapshot])));
    for (const response of responses) expect(response.status).toBe(202);
  }
  clock.set(start + WINDOW_MS);
  await t.server.tick();
}

beforeAll(async () => {
  t = await startTestServer({ now: clock, limits: { publicPerMinute: 1_000_000 } });
  const guardrails = { fleetWindowMs: WINDOW_MS, minSamples: 200, minClients: 50, failingWindows: 2 };
  const schedule = [0, 1, 2].map(() => ({ minDurationMs: HOUR, passWindows: 6 }));
  for (const [flag, stage] of [[FLAG, 1], ['semantic-filter', 0]] as const) {
    const response = await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag, stage, guardrails }), settings: { onFail: 'previousStage', schedule }, reason: 'start the canary' } });
    expect(response.status).toBe(201);
  }
  key = await t.token('client', 'storefront', FLAG);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  failures = collectFailures(page);
});
afterAll(async () => {
  await browser?.close(); // the browser first: its admin stream ends before the server closes
  await t?.stop();
});

describe('the fleet dashboard at / on a real server, in Chromium', () => {
  it('asks for the admin token once, then lists every flag with its mode, stage, schedule and next promotion', async () => {
    const response = await page.goto(`${t.url}/`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
    await page.getByLabel('Admin token').fill(t.admin);
    await page.keyboard.press('Enter');
    for (const flag of [FLAG, 'semantic-filter']) await expect.poll(() => dashboard(page).locator(`[data-flag="${flag}"]`).innerText(), WAIT).toContain('Next promotion');
    expect(await dashboard(page).locator(`[data-flag="${FLAG}"]`).innerText()).toMatch(/stage 2 of 4 \(5%\)[\s\S]*stage 1→2: 1 h and 6 PASS window/);
    await expect.poll(() => dashboard(page).locator('[data-live]').getAttribute('data-live'), WAIT).toBe('live');
    expect(await page.evaluate((k) => sessionStorage.getItem(k) !== null, 'semfilter-fleet-admin-token')).toBe(true);
  });

  it('shows a guardrail rollback by a failing fleet from one push of the admin stream, with its evidence and reason in words', async () => {
    for (let i = 0; i < 4; i++) await runWindow(HEALTHY);
    await runWindow(FAILING);
    await expect.poll(() => dashboard(page).locator('[part="windows"] [data-result="FAIL"]').count(), WAIT).toBeGreaterThan(0);
    // Only the push sets the announcement: the page never polls.
    await runWindow(FAILING);
    await expect.poll(() => dashboard(page).locator('[part="announcement"]').innerText(), WAIT).toMatch(/canary version 2: rolled back by the guardrails[\s\S]*fallback_or_error_rate/);
    await expect.poll(() => dashboard(page).locator('[part="status"]').innerText(), WAIT).toContain('stage 1 of 4 (1%), paused');
    // FAILING draws each run's fallback with probability 0.3, seeded by the window's start (so by
    // the hour the test runs): the window's rate lands around 30%, on either side of it.
    await expect.poll(() => dashboard(page).locator('[data-why]').innerText(), WAIT).toMatch(/The guardrails rolled it back to version 2[\s\S]*fallback\/error rate [23]\d\.\d% against a threshold of 5\.0%/);
    const evidence = dashboard(page).locator('[part="windows"] .window').first();
    expect(await evidence.innerText()).toMatch(/FAIL[\s\S]*100 clients[\s\S]*Fallback\/error rate|fallback\/error rate/i);
    expect(await dashboard(page).locator('[part="history"] [data-action="guardrail-rollback"]').innerText()).toMatch(/config\.stage: 1 → 0[\s\S]*settings\.paused: false → true/);
    // The charts follow: both stages' lines, the stage it left and the one it is back at.
    await expect.poll(() => dashboard(page).locator('.stage-charts h3').allInnerTexts(), WAIT).toEqual([expect.stringContaining('Stage 1 (1%)'), expect.stringContaining('Stage 2 (5%)')]);
    expect(await dashboard(page).locator('.stage-charts').nth(1).locator('figure[data-metric="fallback_or_error_rate"] figcaption').innerText()).toMatch(/semantic [23]\d\.\d%, threshold 5\.0%/);
    expect(await dashboard(page).locator('[data-clients]').innerText()).toContain('100 clients reported semantic runs at 5%');
    await page.screenshot({ path: `${ROOT}docs/fleet-dashboard.png` });
  });

  it('has no axe-core violations, in light and in dark colours', async () => {
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document);
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    expect(violations).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(async () => ((await (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string }[] }> } }).axe.run(document)).violations.map((v) => v.id)))).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a 390 px phone: no sideways scroll, the kill switch on the first screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), WAIT).toBeLessThanOrEqual(390);
    const kill = await dashboard(page).locator('[part="kill-switch"]').boundingBox();
    expect(kill).not.toBeNull();
    expect(kill!.y + kill!.height).toBeLessThanOrEqual(844);
    expect(kill!.x + kill!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ROOT}docs/fleet-dashboard-phone.png` });
  });

  it('sets the kill switch from the page, keyboard only, after a confirmation that says how many users it moves; clients are served it', async () => {
    await dashboard(page).locator('[part="kill-switch"]').focus();
    await page.keyboard.press('Enter');
    const dialog = dashboard(page).locator('dialog[open]');
    await expect.poll(() => dialog.innerText(), WAIT).toMatch(/Semantic mode goes off for everyone now: about 20 users \(1%\)[\s\S]*100 clients reported semantic runs at 5%[\s\S]*about 2,000 clients in all/);
    await page.keyboard.type('incident 42'); // the reason field has the focus
    await dialog.getByRole('button', { name: /^Confirm/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await (await fetch(`${t.url}/v1/flags/${FLAG}?key=${key}`)).json()).killSwitch, WAIT).toBe(true);
    await expect.poll(() => dashboard(page).locator('[part="status"]').innerText(), WAIT).toContain('Kill switch ON');
    expect(await dashboard(page).locator('[part="history"] [data-action="kill"]').innerText()).toMatch(/by alice[\s\S]*incident 42[\s\S]*config\.killSwitch: false → true/);
    expect(failures).toEqual([]);
  });

  it('checks an edited config as it is typed, with the core schema\'s issue paths, and publishes it (If-Match) after a confirmation', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await dashboard(page).getByRole('button', { name: 'Edit the config' }).click();
    const editor = dashboard(page).getByLabel('Config and settings (JSON)');
    const document = JSON.parse(await editor.inputValue()) as { config: Record<string, unknown>; settings: Record<string, unknown> };
    expect(document.config).toMatchObject({ flag: FLAG, killSwitch: true, stage: 0 });
    await editor.fill(JSON.stringify({ ...document, config: { ...document.config, stages: [0.01, 0.05, 0.04, 1] } }));
    await expect.poll(() => dashboard(page).locator('.issues').innerText(), WAIT).toContain('config.stages[2]: expected a share above the previous stage\'s 0.05');
    expect(await dashboard(page).getByRole('button', { name: 'Publish…' }).isDisabled()).toBe(true);
    await editor.fill('{ "config": ');
    await expect.poll(() => dashboard(page).locator('.issues').innerText(), WAIT).toContain('(document): not valid JSON');
    await editor.fill(JSON.stringify({ ...document, config: { ...document.config, killSwitch: false } }));
    await expect.poll(() => dashboard(page).locator('#edit-issues').innerText(), WAIT).toContain('Valid');
    await dashboard(page).getByRole('button', { name: 'Publish…' }).click();
    const dialog = dashboard(page).locator('dialog[open]');
    await expect.poll(() => dialog.innerText(), WAIT).toContain('A new version goes to every client');
    await dialog.getByLabel('Reason (kept in the history)').fill('incident 42 resolved');
    await dialog.getByRole('button', { name: /^Confirm/ }).click();
    await expect.poll(async () => (await (await fetch(`${t.url}/v1/flags/${FLAG}?key=${key}`)).json()).killSwitch, WAIT).toBe(false);
    await expect.poll(() => dashboard(page).locator('[part="history"] [data-action="update"]').first().innerText(), WAIT).toMatch(/by alice[\s\S]*incident 42 resolved[\s\S]*config\.killSwitch: true → false/);
    expect(failures).toEqual([]);
  });
});
