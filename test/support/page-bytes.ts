// What a page downloads, gzipped as a server would send it (level 9; our static server does not
// compress), each response grouped by what it is for. Shared by scripts/bench-startup.ts (the
// playground's start-up weight) and test/consumer/packed.test.ts (a consumer app's).
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

export type Group = 'page' | 'data' | 'vocabulary' | 'worker' | 'wasm' | 'model';
/** Groups that belong to semantic mode: a page should load none of them before it asks for semantic results. */
export const SEMANTIC_GROUPS: ReadonlySet<Group> = new Set(['vocabulary', 'worker', 'wasm', 'model']);

export interface Loaded {
  readonly url: string;
  readonly group: Group;
  readonly bytes: number;
  readonly gzipped: number;
}

export function groupOf(url: URL): Group {
  const path = url.pathname;
  if (path.startsWith('/models/')) return 'model';
  if (path.endsWith('.wasm')) return 'wasm';
  if (/vocabulary[^/]*\.bin$/.test(path)) return 'vocabulary';
  if (/embedding-worker[^/]*\.js$/.test(path)) return 'worker';
  if (path.endsWith('.json')) return 'data';
  return 'page';
}

/** Collects every finished response of the page and its workers, with its body's gzipped size; `settled()` waits for the bodies still being read. */
export function collectPageBytes(page: Page): { loaded: Loaded[]; settled: () => Promise<void>; last: () => number } {
  const loaded: Loaded[] = [];
  const pending = new Set<Promise<void>>();
  let lastActivity = Date.now();
  page.context().on('request', () => void (lastActivity = Date.now()));
  page.context().on('requestfinished', (request) => {
    lastActivity = Date.now();
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    const done = (async () => {
      const response = await request.response();
      if (response === null || response.status() >= 400) return;
      const body = await response.body().catch(() => undefined);
      if (body === undefined) return;
      loaded.push({ url: url.pathname + url.search, group: groupOf(url), bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length });
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  });
  return { loaded, settled: async () => void (await Promise.all(pending)), last: () => lastActivity };
}

/** Gzipped bytes of what loads before semantic mode is used (everything outside SEMANTIC_GROUPS). */
export function startBytes(loaded: readonly Loaded[]): number {
  return loaded.filter((e) => !SEMANTIC_GROUPS.has(e.group)).reduce((sum, e) => sum + e.gzipped, 0);
}
