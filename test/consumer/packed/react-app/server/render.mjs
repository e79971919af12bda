// Server-side rendering, as a Next.js or Remix app does it: every entry point imports in Node
// without a DOM, and the React wrapper renders to HTML (the element's tag; the browser upgrades it).
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

const ENTRIES = ['@semfilter/core', '@semfilter/core/rollout', '@semfilter/core/metrics', '@semfilter/core/openfeature', '@semfilter/core/browser', '@semfilter/elements', '@semfilter/elements/semfilter-debugger.js', '@semfilter/elements/semfilter-rollout-panel.js', '@semfilter/elements/react'];
for (const entry of ENTRIES) await import(entry);
const { SemfilterDebugger } = await import('@semfilter/elements/react');
console.log(JSON.stringify({ imported: ENTRIES, html: renderToString(createElement(SemfilterDebugger, { items: [{ id: 'tee', style: 'casual' }], request: { style: 'casual' } })) }));
