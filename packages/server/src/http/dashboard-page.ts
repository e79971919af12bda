import { createHash } from 'node:crypto';
import type { PageAssets } from './page-assets.js';
import { dashboardCsp } from './security-headers.js';

/** The operator's page: its HTML and the Content-Security-Policy that lets exactly its import map run. */
export interface DashboardPage {
  readonly html: string;
  readonly csp: string;
}

/** Builds the page that hosts `<semfilter-fleet-dashboard>` from the collected modules. */
export function dashboardPage(assets: PageAssets): DashboardPage {
  // `<` escaped, so no specifier can close the script element early.
  const importMap = JSON.stringify(assets.importMap).replaceAll('<', '\\u003c');
  const hash = createHash('sha256').update(importMap).digest('base64');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>semfilter fleet dashboard</title>
<script type="importmap">${importMap}</script>
<script type="module" src="${assets.entry}"></script>
<style>
  html { color-scheme: light dark; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  semfilter-fleet-dashboard:not(:defined) { display: block; min-height: 100vh; }
</style>
</head>
<body>
<main><semfilter-fleet-dashboard></semfilter-fleet-dashboard></main>
</body>
</html>
`;
  return { html, csp: dashboardCsp(hash) };
}
