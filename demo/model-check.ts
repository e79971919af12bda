import { MODEL_ID } from '@semfilter/core';

/** The file `npm run fetch-model` writes last: when it is served, the model is. */
const MANIFEST = `${MODEL_ID}/manifest.json`;

/**
 * Whether the model is served under `modelBaseUrl`: true, false (the server answered, but not with
 * the manifest, e.g. 404 or an HTML fallback page), or null when the server could not be asked
 * (offline): then say nothing. A GET of the 1 kB manifest, read to the end: Chromium reports every
 * fetch() HEAD as net::ERR_ABORTED in DevTools and to Playwright, which read as a failed load.
 */
export async function modelServed(modelBaseUrl = '/models/', fetchImpl: typeof fetch = fetch): Promise<boolean | null> {
  let response: Response;
  try {
    response = await fetchImpl(new URL(MANIFEST, new URL(modelBaseUrl, location.href)), { cache: 'no-store' });
  } catch {
    return null;
  }
  if (!response.ok) return false;
  try {
    const manifest: unknown = await response.json();
    return typeof manifest === 'object' && manifest !== null && 'files' in manifest;
  } catch {
    return false; // a 200 that is not JSON: a fallback page, not the manifest
  }
}

/** Fills `box` with what the page can do without the model and the command that brings it; as text, never markup. */
export function showModelMissing(box: HTMLElement): void {
  const command = Object.assign(document.createElement('code'), { textContent: 'npm run fetch-model' });
  const heading = Object.assign(document.createElement('strong'), { textContent: 'The model is not served here. ' });
  box.replaceChildren(
    heading,
    'Semantic mode still works for the terms the embedded vocabulary knows and compares the other tags exactly (the summary says “partly active” or “not active: MODEL_UNAVAILABLE”). To get the model, run ',
    command,
    ' in the repository (it needs Python 3.9+ once, about a minute), then reload this page.',
  );
  box.hidden = false;
}
