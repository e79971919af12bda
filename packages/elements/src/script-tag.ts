// The entry of the self-contained bundle (dist/bundle/semfilter-debugger.js) for pages without a
// bundler: importing it defines <semfilter-debugger>, and createSemanticFilter lets such a page set
// what the element's own filter leaves at defaults (dtype, loadTimeoutMs, embedTimeoutMs, …) and
// hand the result to the element's `filter` property.
export { SemfilterDebugger } from './debugger/define.js';
export { createSemanticFilter } from '@semfilter/core/browser';
export type { Comparison, ModelProgress, ModelState, SemanticFilter, SemanticFilterOptions, StateChange } from '@semfilter/core/browser';
