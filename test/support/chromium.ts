import { chromium, type Browser, type Page } from 'playwright-core';

/** Flags for Debian's Chromium as root, on a machine whose only network is loopback. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Headless Debian Chromium driven by playwright-core (which downloads nothing). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * Collects what a user would call a broken page: uncaught errors, console errors other than the
 * browser's own "Failed to load resource" line, and HTTP errors (the page's and its workers'),
 * except responses whose URL matches `expectedMisses`.
 */
export function collectFailures(page: Page, expectedMisses: RegExp = /\/favicon\.ico$/): string[] {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && failures.push(message.text()));
  page.context().on('response', (response) => response.status() >= 400 && !expectedMisses.test(response.url()) && failures.push(`${response.status()} ${response.url()}`));
  return failures;
}
