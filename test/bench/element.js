// The page the element measurement of `npm run bench:browser` drives (scripts/bench/element-drag.ts):
// a <semfilter-debugger> with a generated wardrobe in semantic mode, and a threshold slider dragged
// one input event per animation frame, each update timed until its rows are rendered and laid out.
import '@semfilter/elements/semfilter-debugger.js';
import { generateWardrobe } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';

const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

/** Mounts the element with `size` items and resolves when its first report and threshold chart are rendered. */
async function mount(size) {
  const element = document.createElement('semfilter-debugger');
  element.filter = createSemanticFilter({ modelBaseUrl: new URL('/models/', location.href).href });
  element.items = generateWardrobe(size);
  element.request = REQUEST;
  element.semantic = true;
  const started = performance.now();
  const reported = once(element, 'semfilter-report');
  document.body.append(element);
  await reported;
  await element.updateComplete;
  const firstReportMs = performance.now() - started;
  while (element.shadowRoot.querySelector('.threshold polyline') === null) await nextFrame();
  return { element, firstReportMs, chartMs: performance.now() - started };
}

/**
 * Drags the first threshold slider through `steps` values, one input event per animation frame,
 * waiting for each update's report and render. Long tasks (over 50 ms) are observed throughout.
 */
window.benchElementDrag = async (size, steps) => {
  const { element, firstReportMs, chartMs } = await mount(size);
  const slider = element.shadowRoot.querySelector('.threshold input[type="range"]');
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map(({ startTime, duration }) => ({ startTime, duration }))));
  observer.observe({ type: 'longtask' });
  const updates = [];
  const layouts = [];
  const windows = [];
  for (let step = 0; step < steps; step++) {
    await nextFrame();
    const reported = once(element, 'semfilter-report');
    const started = performance.now();
    slider.value = (0.3 + (0.5 * step) / steps).toFixed(2);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await reported;
    await element.updateComplete;
    const rendered = performance.now();
    void element.shadowRoot.querySelector('table').offsetHeight; // style and layout of the new rows, counted in the update
    const ended = performance.now();
    performance.measure(`update ${step}`, { start: started, end: ended }); // for traces: scripts/bench/element-profile.ts
    updates.push(ended - started);
    layouts.push(ended - rendered);
    windows.push([started, ended]);
  }
  // Request edits: the mood input changed to another known term, as a user types and leaves the field.
  const edits = [];
  const mood = [...element.shadowRoot.querySelectorAll('.request input')][2];
  for (const [i, term] of ['relaxed', 'happy', 'confident', 'calm', 'cheerful', 'serene'].entries()) {
    await nextFrame();
    const reported = once(element, 'semfilter-report');
    const started = performance.now();
    mood.value = term;
    mood.dispatchEvent(new Event('change'));
    await reported;
    await element.updateComplete;
    void element.shadowRoot.querySelector('table').offsetHeight;
    const ended = performance.now();
    performance.measure(`edit ${i}`, { start: started, end: ended });
    if (i > 0) edits.push(ended - started); // the first edit also compiles the request path: reported apart
    else edits.first = ended - started;
    windows.push([started, ended]);
  }
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the last long task entries arrive
  longTasks.push(...observer.takeRecords().map(({ startTime, duration }) => ({ startTime, duration })));
  observer.disconnect();
  // A long task that overlaps an update's window holds the update's work; the others ran between updates.
  const overlaps = ({ startTime, duration }) => windows.some(([start, end]) => startTime < end && startTime + duration > start);
  const rows = element.shadowRoot.querySelectorAll('[part~="item"]').length;
  const passRate = element.report.filter_pass_rate;
  element.filter.dispose();
  element.remove();
  return { firstReportMs, chartMs, updates, layouts, firstEdit: edits.first, edits: [...edits], longTasks: longTasks.map((task) => ({ duration: task.duration, inUpdate: overlaps(task) })), rows, passRate };
};
