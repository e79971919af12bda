import { expect } from 'chai';
import React from 'react';
import ReactDOM from 'react-dom';
import ReactDOMClient from 'react-dom/client';
import { filterItems, type FilterOptionsInput, type FilterReport, type FilterRequest, type Item } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';
import { createRollout, memoryStorage, parseRolloutConfig, type Rollout } from '@semfilter/core/rollout';
import { SemfilterDebugger, SemfilterRolloutPanel, type SemfilterDebuggerElement, type SemfilterRolloutPanelElement } from '@semfilter/elements/react';

// The wrappers as a React app uses them (react-dom/client, no JSX here: createElement is what JSX
// compiles to): properties must reach the element as properties, and `on…` props must hear the
// element's own events, raised by real use of its controls.

const wardrobe: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
  { id: 'gown', name: 'Sequin gown', style: 'Glam', occasion: 'Gala', mood: 'Bold' },
];
const request: FilterRequest = { style: 'casual', occasion: 'work', mood: 'calm' };

/** Waits (a frame at a time, 10 s at most) until `done` holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  const end = performance.now() + 10_000;
  while (!done()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

const roots: ReactDOMClient.Root[] = [];
const rollouts: Rollout[] = [];
/** Renders `node` into a new container, synchronously (flushSync), as a React app's root. */
function render(node: React.ReactNode): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  const root = ReactDOMClient.createRoot(container);
  roots.push(root);
  ReactDOM.flushSync(() => root.render(node));
  return container;
}

afterEach(() => {
  roots.splice(0).forEach((root) => root.unmount());
  rollouts.splice(0).forEach((rollout) => rollout.dispose());
  document.body.replaceChildren();
});

describe('@semfilter/elements/react', () => {
  it('SemfilterDebugger: items and request as properties, rows in the shadow DOM, onSemfilterReport/Toggle/View called', async () => {
    const reports: FilterReport[] = [];
    const toggles: boolean[] = [];
    const views: string[] = [];
    const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false });
    const container = render(
      React.createElement(SemfilterDebugger, {
        items: wardrobe,
        request,
        filter,
        view: 'all',
        onSemfilterReport: (e) => reports.push(e.detail),
        onSemfilterToggle: (e) => toggles.push(e.detail.semantic),
        onSemfilterView: (e) => views.push(e.detail.view),
      }),
    );
    const element = container.querySelector<SemfilterDebuggerElement>('semfilter-debugger')!;
    expect(element).to.be.instanceOf(customElements.get('semfilter-debugger')!); // importing the wrapper defined it
    expect(element.items).to.equal(wardrobe); // the array itself, not an "[object Object]" attribute
    expect(element.request).to.equal(request);
    expect(element.hasAttribute('items')).to.equal(false);

    await until(() => reports.length > 0, 'the first report');
    await element.updateComplete;
    const rows = [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')];
    expect(rows.map((row) => row.dataset.itemId)).to.have.members(['blazer', 'tee', 'gown']);
    expect(reports[0]!.semantic_mode_active).to.equal(false);

    element.shadowRoot!.querySelector<HTMLButtonElement>('[part~="semantic-toggle"]')!.click();
    await element.updateComplete;
    expect(toggles).to.deep.equal([true]);
    await until(() => reports.length > 1, 'the semantic report');

    const select = element.shadowRoot!.querySelector<HTMLSelectElement>('.toolbar select')!;
    select.value = 'disagreements';
    select.dispatchEvent(new Event('change'));
    await element.updateComplete;
    expect(views).to.deep.equal(['disagreements']);
  });

  it('SemfilterRolloutPanel: the rollout as a property, the decision in the shadow DOM, onSemfilterRearm called on re-arm', async () => {
    const parsed = parseRolloutConfig({
      schema: 1, version: 1, flag: 'react-test', mode: 'on', stages: [0.05, 0.25, 0.5, 0.75, 1], stage: 4, killSwitch: false,
      allowlist: { users: [], groups: [] }, denylist: { users: [], groups: [] },
    });
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    // No embedder: every semantic run falls back (MODEL_UNAVAILABLE), which trips the fallback guardrail.
    const modelLess = { filter: (items: unknown, req: unknown, options?: FilterOptionsInput) => filterItems(items as Item[], req as FilterRequest, { semantic: true, ...options }) };
    const rollout = createRollout({ config: parsed.value, user: { id: 'user-1' }, filter: modelLess, storage: memoryStorage(), thresholds: { windowRuns: 20, minSamples: 20 } });
    rollouts.push(rollout);
    const rearms: string[] = [];
    const container = render(React.createElement(SemfilterRolloutPanel, { rollout, userId: 'user-1', simulateUsers: 500, onSemfilterRearm: (e) => rearms.push(e.detail.metric) }));
    const element = container.querySelector<SemfilterRolloutPanelElement>('semfilter-rollout-panel')!;
    expect(element.rollout).to.equal(rollout);
    expect(element.simulateUsers).to.equal(500);
    await element.updateComplete;
    const $ = (selector: string) => element.shadowRoot!.querySelector<HTMLElement>(selector);
    expect($('[part~="decision"]')).to.exist;
    expect($('[data-reason]')!.textContent).to.equal('IN_ROLLOUT');

    for (let i = 0; i < 40; i++) await rollout.run(wardrobe, request);
    await until(() => $('[part~="rearm"]') !== null, 'the rollback notice');
    expect(rearms).to.deep.equal([]);
    $('[part~="rearm"]')!.click();
    await element.updateComplete;
    expect(rearms).to.deep.equal(['fallback_or_error_rate']);
  });
});
