// A frontend team's app as they would write it: the packages from their tarballs, strict
// TypeScript, Vite's defaults. The model is not served here, so semantic mode has to say so.
import '@semfilter/elements';
import type { SemfilterDebugger } from '@semfilter/elements';
import { createSemanticFilter } from '@semfilter/core/browser';
import { filterItems, type FilterRequest, type Item } from '@semfilter/core';

const items: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Smart_Casual', occasion: 'work', mood: 'calm' },
  { id: 'coat', name: 'Odd coat', style: 'Zorblaxian_Casualwear', occasion: 'work', mood: 'calm' },
];
const request: FilterRequest = { style: 'smart casual', occasion: 'work', mood: 'calm' };

// Typed events: `e.detail` is the report or the state change, no casts (the build fails otherwise).
const element = document.querySelector<SemfilterDebugger>('#debugger')!;
element.addEventListener('semfilter-report', (e) => {
  const passRate: number = e.detail.filter_pass_rate;
  document.body.dataset.reports = String(Number(document.body.dataset.reports ?? 0) + 1);
  document.querySelector('#status')!.textContent = `pass rate ${passRate}`;
});
const filter = createSemanticFilter({ cache: false });
filter.addEventListener('statechange', (e) => {
  document.body.dataset.modelState = e.detail.state;
});
element.filter = filter;
element.items = items;
element.request = request;

// The exact filter works with no model at all.
const exact = await filterItems(items, request);
document.body.dataset.exactPassRate = String(exact.filter_pass_rate);
