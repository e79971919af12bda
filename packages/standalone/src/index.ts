// The entry of the self-contained script (dist/semfilter-debugger.js) for pages without a bundler:
// importing it defines <semfilter-debugger>, and createSemanticFilter lets such a page set what the
// element's own filter leaves at defaults (dtype, loadTimeoutMs, embedTimeoutMs, …) and hand the
// result to the element's `filter` property.
export { SemfilterDebugger } from '@semfilter/elements/semfilter-debugger.js';
export { createSemanticFilter } from '@semfilter/core/browser';
