// A minimal host app: imports @semfilter/core like any consumer would, and filters with tags the
// embedded vocabulary does not know, so the answer needs the worker, the .wasm files and the model.
import { createSemanticFilter } from '@semfilter/core/browser';

const filter = createSemanticFilter({ modelBaseUrl: new URL('/models/', location.href).href, cache: false });
const report = await filter.filter(
  [
    { id: 'jacket', style: 'Zorblaxian_Casualwear' },
    { id: 'blazer', style: 'Classic' },
  ],
  { style: 'casual' },
  {},
  // This page wants the model's answer however long the first download takes, not the
  // deadline's exact comparison of what is not ready (MODEL_LOADING).
  { deadlineMs: Infinity },
);
window.semfilterReport = report;
document.querySelector('#out').textContent = JSON.stringify(report, null, 2);
document.body.dataset.done = 'true';
