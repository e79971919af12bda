// The element measurement of `npm run bench:browser`: <semfilter-debugger> with a generated
// wardrobe in semantic mode (test/bench/element.html); a threshold slider dragged one input event
// per animation frame, each update timed from the input event to its rendered and laid-out rows,
// and every main-thread task over 50 ms recorded by a PerformanceObserver (longtask), with whether
// it overlapped an update. The machine's load average is printed beside: on a shared machine a
// descheduled renderer shows up as a long task.
import { cpus, loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { collectFailures } from '../../test/support/chromium.js';
import { median, ms } from './stats.js';

/** A drag that has not finished by then is stuck: fail with what the page said instead of hanging. */
const DRAG_TIMEOUT_MS = 180_000;

interface DragResult {
  readonly firstReportMs: number;
  readonly chartMs: number;
  readonly updates: number[];
  /** Of each update, the style and layout forced after the render. */
  readonly layouts: number[];
  /** Request edits (the mood input set to another known term) after the drag, input to laid-out rows. */
  readonly firstEdit: number;
  readonly edits: number[];
  readonly longTasks: { readonly duration: number; readonly inUpdate: boolean }[];
  readonly rows: number;
  readonly passRate: number;
}

/** One Chrome trace event, as the DevTools protocol's Tracing domain reports it. */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly id2?: { readonly local?: string };
  readonly args?: Record<string, unknown>;
}

/** What the renderer records: tasks, script, style, layout, paint, GC, user timing and the sampling profiler. */
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'disabled-by-default-v8.gc'];

/** Starts a Chrome trace of the page; the returned function ends it and resolves with its events. */
async function startTrace(page: Page): Promise<() => Promise<TraceEvent[]>> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as TraceEvent[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
    await cdp.send('Tracing.end');
    await complete;
    return events;
  };
}

/**
 * Mounts the element with `size` items in a fresh page and drags a slider `steps` times; returns
 * the lines to print. With `onTrace`, the page is traced meanwhile and the events handed over.
 */
export async function benchElementDrag(browser: Browser, url: string, size: number, steps: number, onTrace?: (events: TraceEvent[]) => void): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const failures = collectFailures(page);
  await page.goto(`${url}/element.html`);
  const endTrace = onTrace && (await startTrace(page));
  const drag = page.evaluate(([n, s]) => (window as unknown as { benchElementDrag: (n: number, s: number) => Promise<DragResult> }).benchElementDrag(n!, s!), [size, steps]) as Promise<DragResult>;
  const stuck = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the element drag did not finish in ${DRAG_TIMEOUT_MS} ms; the page said: ${failures.join('; ') || 'nothing'}`)), DRAG_TIMEOUT_MS).unref());
  const result = await Promise.race([drag, stuck]);
  if (endTrace) onTrace!(await endTrace());
  await context.close();
  if (result.rows === 0) throw new Error('the element rendered no rows during the drag');
  const over16 = result.updates.filter((t) => t > 16).length;
  const long = result.longTasks.map((task) => task.duration);
  const inUpdates = result.longTasks.filter((task) => task.inUpdate).length;
  return [
    `element, ${size} items, semantic mode on: first report ${ms(result.firstReportMs, 0)}, threshold chart ${ms(result.chartMs, 0)}`,
    `  slider drag, ${steps} input events one per animation frame, input to rendered and laid-out rows: median ${ms(median(result.updates))}, worst ${ms(Math.max(...result.updates))}; ${over16} of ${steps} over 16 ms; of which style and layout: median ${ms(median(result.layouts))}`,
    `  each update in order: ${result.updates.map((t) => t.toFixed(1)).join(', ')} ms`,
    `  request edits (mood set to another known term): first ${ms(result.firstEdit)}, then ${result.edits.map((t) => t.toFixed(1)).join(', ')} ms`,
    `  tasks over 50 ms during the drag and the edits: ${long.length}${long.length > 0 ? ` (${inUpdates} overlapping an update), the longest ${ms(Math.max(...long), 0)}` : ''}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  ];
}
