// The element measurement of `npm run bench:browser`: <semfilter-debugger> with a generated
// wardrobe in semantic mode (test/bench/element.html); a threshold slider dragged one input event
// per animation frame, each update timed from the input event to its rendered rows, and every
// main-thread task over 50 ms recorded by a PerformanceObserver (longtask).
import type { Browser } from 'playwright-core';
import { median, ms } from './stats.js';

interface DragResult {
  readonly firstReportMs: number;
  readonly chartMs: number;
  readonly updates: number[];
  readonly longTasks: number[];
  readonly rows: number;
  readonly passRate: number;
}

/** Mounts the element with `size` items in a fresh page and drags a slider `steps` times; returns the lines to print. */
export async function benchElementDrag(browser: Browser, url: string, size: number, steps: number): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/element.html`);
  const result = (await page.evaluate(([n, s]) => (window as unknown as { benchElementDrag: (n: number, s: number) => Promise<DragResult> }).benchElementDrag(n!, s!), [size, steps])) as DragResult;
  await context.close();
  if (result.rows === 0) throw new Error('the element rendered no rows during the drag');
  const over16 = result.updates.filter((t) => t > 16).length;
  return [
    `element, ${size} items, semantic mode on: first report ${ms(result.firstReportMs, 0)}, threshold chart ${ms(result.chartMs, 0)}`,
    `  slider drag, ${steps} input events one per animation frame, input to rendered rows: median ${ms(median(result.updates))}, worst ${ms(Math.max(...result.updates))}; ${over16} of ${steps} over 16 ms`,
    `  tasks over 50 ms during the drag: ${result.longTasks.length}${result.longTasks.length > 0 ? `, the longest ${ms(Math.max(...result.longTasks), 0)}` : ''}`,
  ];
}
