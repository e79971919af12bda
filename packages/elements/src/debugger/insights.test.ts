import { expect } from 'chai';
import { setViewport } from '@web/test-runner-commands';
import { createSemanticFilter } from '@semfilter/core/browser';
import { generateWardrobe, type FilterReport, type FilterRequest } from '@semfilter/core';
import { axe, debuggerRow, debuggerRows as rows, mountDebugger, nextReport, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import { freshPrefix, setOffline, UNKNOWN_TERMS } from '../../../../test/browser/helpers.js';
import type { DebuggerView, SemfilterDebugger } from '@semfilter/elements';

const request = { style: 'casual', occasion: 'work', mood: 'calm' };

const root = (element: SemfilterDebugger) => element.shadowRoot!;
const panel = (element: SemfilterDebugger) => root(element).querySelector<HTMLElement>('[part~="changes"]')!;
const groupButtons = (element: SemfilterDebugger) => [...root(element).querySelectorAll<HTMLButtonElement>('[data-flip-group]')];
const restriction = (element: SemfilterDebugger) => root(element).querySelector<HTMLElement>('[data-restriction]');
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const ids = (element: SemfilterDebugger) => rows(element).map((r) => r.dataset.itemId!);
const showAll = (element: SemfilterDebugger) => [...restriction(element)!.querySelectorAll('button')].find((b) => text(b) === 'Show all rows')!;

/** A debugger whose semantic run is the model's (not an answer at the deadline), with every row on one page. */
async function mountWithModel(items: readonly object[], view: DebuggerView, semantic: boolean, pageSize = 1000, asked: FilterRequest = request): Promise<SemfilterDebugger> {
  const filter = createSemanticFilter({ modelBaseUrl: '/models/', cache: false, deadlineMs: Infinity });
  const element = await mountDebugger({ items, request: asked, view, pageSize, semantic, filter });
  while ((await reports(element)).semantic.fallback_reason !== null) await nextReport(element);
  return element;
}

/** Both modes' reports as the element holds them: the active one, then the other by switching mode and back. */
async function reports(element: SemfilterDebugger): Promise<{ traditional: FilterReport; semantic: FilterReport }> {
  const first = element.report!;
  element.semantic = !element.semantic;
  await element.updateComplete;
  const second = element.report!;
  element.semantic = !element.semantic;
  await element.updateComplete;
  return element.semantic ? { traditional: second, semantic: first } : { traditional: first, semantic: second };
}

/** A group button's words, "occasion: 'office' for 'work' — 10 items", taken apart. */
function parseGroup(button: HTMLButtonElement) {
  const match = /^(\w+): '(.+)' (for|no longer for) '(.+)' — ([\d,]+) items?$/.exec(text(button));
  expect(match, text(button)).to.not.equal(null);
  const [, dimension, actual, direction, requested, count] = match!;
  return { dimension, actual, requested, gained: direction === 'for', count: Number(count!.replace(/,/g, '')) };
}

/** The items of one group, worked out from the two reports' verdicts: flipped, and on that dimension decided by that pair. */
function expectedItems(both: { traditional: FilterReport; semantic: FilterReport }, group: ReturnType<typeof parseGroup>): string[] {
  const before = new Map(both.traditional.items.map((item) => [item.id, item]));
  return both.semantic.items
    .filter((after) => {
      const was = before.get(after.id)!;
      if (was.passed === after.passed || after.passed !== group.gained) return false;
      const decided = (after.passed ? after.matches : after.reasons).find((p) => p.dimension === group.dimension);
      const changed = was.matches.some((m) => m.dimension === group.dimension) !== after.matches.some((m) => m.dimension === group.dimension);
      return changed && decided?.requested === group.requested && decided.actual === group.actual;
    })
    .map((item) => item.id)
    .sort();
}

/** Opens a row's score breakdown as a click on its summary does, and waits until its figures are rendered. */
async function openBreakdown(element: SemfilterDebugger, details: HTMLDetailsElement): Promise<void> {
  const toggled = new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));
  details.open = true;
  await toggled;
  await element.updateComplete;
}

afterEach(removeDebuggers);

describe('<semfilter-debugger> insights', () => {
  it('lists what semantic mode changes first; each group button shows exactly its items, and the restriction clears', async () => {
    await setViewport({ width: 1400, height: 1000 }); // the desktop the issue was tried on
    const element = await mountWithModel(generateWardrobe(400, 11), 'passing', false);
    const firstLine = panel(element).querySelector('p')!.getBoundingClientRect();
    expect(firstLine.bottom, 'the panel is on the first screen').to.be.at.most(window.innerHeight);
    await setViewport({ width: 800, height: 600 });
    const both = await reports(element);
    const flips = both.semantic.items.filter((item) => item.passed !== both.traditional.items.find((t) => t.id === item.id)!.passed);
    const gained = flips.filter((item) => item.passed).length;
    expect(text(panel(element))).to.contain(`it passes ${gained} items the traditional filter rejects, and rejects ${flips.length - gained} item`);
    // The panel comes before the summary and the table.
    expect(panel(element).compareDocumentPosition(root(element).querySelector('[part~="summary"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    const shownBefore = ids(element);
    const buttons = groupButtons(element);
    expect(buttons.length).to.be.above(1);
    const counts = buttons.map((b) => parseGroup(b).count);
    expect(counts).to.deep.equal([...counts].sort((a, b) => b - a)); // largest first
    for (const index of [0, 1, buttons.length - 1]) {
      const button = groupButtons(element)[index]!;
      const group = parseGroup(button);
      button.click();
      await element.updateComplete;
      expect(groupButtons(element)[index]!.getAttribute('aria-pressed')).to.equal('true');
      expect(ids(element).sort()).to.deep.equal(expectedItems(both, group));
      expect(rows(element)).to.have.length(group.count);
      expect(text(restriction(element)!)).to.contain(`Showing the ${group.count} item`).and.contain(`'${group.actual}'`).and.contain(`'${group.requested}'`);
      expect(text(root(element).querySelector('.pager [role="status"]')!)).to.match(new RegExp(`^${group.count} rows? in the flip group`));
    }
    [...restriction(element)!.querySelectorAll('button')].find((b) => text(b) === 'Show all rows')!.click();
    await element.updateComplete;
    expect(restriction(element)).to.equal(null);
    expect(element.view).to.equal('passing'); // the view the group replaced
    expect(ids(element)).to.deep.equal(shownBefore);
    expect(groupButtons(element).every((b) => b.getAttribute('aria-pressed') === 'false')).to.equal(true);
    // A pressed group button lets go when pressed again, as a toggle button does.
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    expect(rows(element)).to.have.length(parseGroup(groupButtons(element)[0]!).count);
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    expect(restriction(element)).to.equal(null);
    expect(ids(element)).to.deep.equal(shownBefore);
  });

  it('follows the chosen group through a threshold change: the rows are the group\'s items in the new runs, or the view before it when it is gone', async () => {
    const element = await mountWithModel(generateWardrobe(400, 11), 'passing', true);
    const button = groupButtons(element)[0]!;
    const group = parseGroup(button);
    button.click();
    await element.updateComplete;
    const slider = root(element).querySelector<HTMLInputElement>(`#threshold-${group.dimension}`)!;
    slider.value = String(Number(slider.value) + 0.1);
    slider.dispatchEvent(new Event('input'));
    await element.updateComplete;
    const shown = ids(element).sort();
    // The oracle: the group's items worked out from the reports of the new runs.
    const expected = expectedItems(await reports(element), group);
    if (expected.length === 0) {
      // No item flips on that pair any more: the restriction lets go, and the view it replaced comes back.
      expect(restriction(element)).to.equal(null);
      expect(element.view).to.equal('passing');
      expect(shown).to.have.length(element.report!.items.filter((item) => item.passed).length);
    } else {
      // Listed or not (a group may leave the six largest), its rows are its items.
      expect(shown).to.deep.equal(expected);
      expect(text(restriction(element)!)).to.contain(`Showing the ${expected.length} item`);
      // Listed, its button stays pressed with the new count; not listed, no button is pressed.
      const chosen = groupButtons(element).find((b) => b.getAttribute('aria-pressed') === 'true');
      const listed = groupButtons(element).some((b) => { const g = parseGroup(b); return g.dimension === group.dimension && g.requested === group.requested && g.actual === group.actual && g.gained === group.gained; });
      expect(chosen !== undefined).to.equal(listed);
      if (listed) expect(parseGroup(chosen!)).to.deep.equal({ ...group, count: expected.length });
    }
  });

  it('counts the rows a search leaves of the chosen group, not the group', async () => {
    // One dimension requested, so semantic mode gains whole groups of items (a search for one id must leave fewer rows than the group has).
    const element = await mountWithModel(generateWardrobe(400, 11), 'all', false, 1000, { style: 'casual' });
    const group = parseGroup(groupButtons(element)[0]!);
    expect(group.count).to.be.above(1);
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    const box = root(element).querySelector<HTMLInputElement>('input[type="search"]')!;
    box.value = rows(element)[0]!.dataset.itemId!;
    box.dispatchEvent(new Event('search'));
    await element.updateComplete;
    const shown = rows(element).length;
    expect(shown).to.be.below(group.count);
    expect(text(restriction(element)!)).to.contain(`Showing ${shown} ${shown === 1 ? 'row' : 'rows'} of the ${group.count} items`);
  });

  it('moves focus to the group\'s button when Show all rows takes its own button away', async () => {
    const element = await mountWithModel(generateWardrobe(400, 11), 'all', false);
    groupButtons(element)[1]!.click();
    await element.updateComplete;
    showAll(element).focus();
    showAll(element).click();
    await element.updateComplete;
    expect(root(element).activeElement).to.equal(groupButtons(element)[1]!);
    expect(groupButtons(element)[1]!.getAttribute('aria-pressed')).to.equal('false');
  });

  it('lets a chosen group go when a new request has no such group: the rows and the view come back', async () => {
    const element = await mountWithModel(generateWardrobe(400, 11), 'all', false);
    const group = parseGroup(groupButtons(element)[0]!);
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    const reported = nextReport(element);
    element.request = Object.fromEntries(Object.entries(request).filter(([dimension]) => dimension !== group.dimension));
    await reported;
    expect(restriction(element)).to.equal(null);
    expect(element.view).to.equal('all');
    expect(rows(element)).to.have.length(400);
  });

  it('tells the host of each view it sets itself (semfilter-view, bubbling and composed), not of a view the host sets', async () => {
    const element = await mountWithModel(generateWardrobe(400, 11), 'all', false);
    const views: unknown[] = [];
    const listener = (e: HTMLElementEventMap['semfilter-view']) => views.push([e.detail.view, e.target === element]);
    document.addEventListener('semfilter-view', listener);
    try {
      const group = parseGroup(groupButtons(element)[0]!);
      groupButtons(element)[0]!.click();
      await element.updateComplete;
      showAll(element).click();
      await element.updateComplete;
      const select = root(element).querySelector<HTMLSelectElement>('.toolbar select')!;
      select.value = 'passing';
      select.dispatchEvent(new Event('change'));
      await element.updateComplete;
      element.view = 'all'; // the host's own change: it knows
      await element.updateComplete;
      // A chosen group a new request lacks lets go, and its view comes back.
      groupButtons(element)[0]!.click();
      await element.updateComplete;
      const reported = nextReport(element);
      element.request = Object.fromEntries(Object.entries(request).filter(([dimension]) => dimension !== group.dimension));
      await reported;
      expect(views).to.deep.equal([['disagreements', true], ['all', true], ['passing', true], ['disagreements', true], ['all', true]]);
    } finally {
      document.removeEventListener('semfilter-view', listener);
    }
  });

  it('says semantic mode is not active, or only partly and which tags it compares exactly, when the model cannot load', async () => {
    const prefix = freshPrefix('changes-fallback');
    await setOffline(`${prefix}/models/`, true);
    try {
      const offline = () => createSemanticFilter({ modelBaseUrl: `${prefix}/models/`, cache: false });
      const items = [{ id: 'blazer', style: 'classic' }, { id: 'odd', style: UNKNOWN_TERMS[0] }];
      // Only a term no vocabulary knows is asked for: nothing is judged by meaning.
      const none = await mountDebugger({ items, request: { style: UNKNOWN_TERMS[1]! }, semantic: true, filter: offline() });
      expect(none.report).to.include({ fallback_reason: 'MODEL_UNAVAILABLE', semantic_mode_active: false });
      expect(text(panel(none))).to.contain('semantic mode is not active: the model could not be loaded').and.not.contain('decide every item the same way');
      // A vocabulary term is asked for: the known tag is judged by meaning, the unknown one exactly.
      const partly = await mountDebugger({ items, request: { style: 'casual' }, semantic: true, filter: offline() });
      expect(partly.report).to.include({ fallback_reason: 'MODEL_UNAVAILABLE', semantic_mode_active: true });
      expect(text(panel(partly))).to.contain('only partly active: the model could not be loaded').and.contain(`style '${UNKNOWN_TERMS[0]}'`).and.not.contain('decide every item the same way');
    } finally {
      await setOffline(`${prefix}/models/`, false);
    }
  });

  it('keeps the page of a chosen group through a threshold step that leaves the group as it was', async () => {
    // 'classic' fits 'casual' by meaning only; every mood is 'calm' itself, which passes at any mood threshold.
    const items = Array.from({ length: 5 }, (_, i) => ({ id: `blazer-${i}`, style: 'classic', mood: 'calm' }));
    const element = await mountWithModel(items, 'passing', true, 2, { style: 'casual', mood: 'calm' });
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    expect(parseGroup(groupButtons(element)[0]!)).to.include({ dimension: 'style', actual: 'classic', requested: 'casual', count: 5 });
    [...root(element).querySelectorAll<HTMLButtonElement>('.pager button')].find((b) => text(b) === 'Next page')!.click();
    await element.updateComplete;
    expect(ids(element)).to.deep.equal(['blazer-2', 'blazer-3']);
    const mood = root(element).querySelector<HTMLInputElement>('#threshold-mood')!;
    mood.value = '0.9';
    mood.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(ids(element)).to.deep.equal(['blazer-2', 'blazer-3']);
    expect(text(root(element).querySelector('.pager [role="status"]')!)).to.contain('page 2 of 3');
  });

  it('ranks each row in the active mode, with its change against the other mode in words', async () => {
    const items = [
      { id: 'blazer', style: 'classic' }, // classic fits casual by meaning only
      { id: 'tee', style: 'casual' },
      { id: 'gown', style: 'formal' }, // rejected by both
      { id: 'jeans', style: 'Casual' },
    ];
    const element = await mountWithModel(items, 'all', false, 1000, { style: 'casual' });
    const rank = (id: string) => text(debuggerRow(element, id).querySelector('td[data-label="Rank and score"] .rank')!);
    // The row header names the row on every cell: the item's name and id only.
    expect(items.map((item) => text(debuggerRow(element, item.id).querySelector('th')!))).to.deep.equal(items.map((item) => `${item.id}${item.id}`));
    expect(items.map((item) => rank(item.id))).to.deep.equal([
      'not passing; #3 in the semantic filter',
      '#1, the same rank as in the semantic filter',
      'not passing in either filter',
      '#2, the same rank as in the semantic filter',
    ]);
    element.semantic = true;
    await element.updateComplete;
    expect(items.map((item) => rank(item.id))).to.deep.equal([
      '#3, new: the traditional filter rejects it',
      '#1, the same rank as in the traditional filter',
      'not passing in either filter',
      '#2, the same rank as in the traditional filter',
    ]);
    // The passing view lists the rows in rank order.
    element.view = 'passing';
    await element.updateComplete;
    expect(ids(element)).to.deep.equal(['tee', 'jeans', 'blazer']);
    expect(rows(element).map((r) => r.querySelector<HTMLElement>('.rank')!.dataset.rank)).to.deep.equal(['1', '2', '3']);
  });

  it('breaks each score down into parts that add up to the score shown, which is the report\'s', async () => {
    for (const semantic of [true, false]) {
      const element = await mountWithModel(generateWardrobe(60, 3), 'all', semantic, 60);
      const scores = new Map(element.report!.items.map((item) => [item.id, item.score]));
      let checked = 0;
      for (const row of rows(element)) {
        const details = row.querySelector<HTMLDetailsElement>('details[data-breakdown]')!;
        expect(details.querySelector('[data-part]'), 'figures are read only when opened').to.equal(null);
        await openBreakdown(element, details);
        const score = Number(details.querySelector('[data-score]')!.textContent);
        expect(score).to.equal(scores.get(row.dataset.itemId!));
        const figure = (li: Element) => Number(li.querySelector('strong')?.textContent ?? 0);
        const parts = [...details.querySelectorAll('[data-part]')].map(figure);
        const shares = [...details.querySelectorAll('[data-share]')].map(figure);
        expect(parts).to.have.length(2);
        expect(shares).to.have.length(3);
        // Each figure is rounded to four decimals, as the score is.
        expect(parts.reduce((a, b) => a + b, 0)).to.be.closeTo(score, 0.00011);
        expect(shares.reduce((a, b) => a + b, 0)).to.be.closeTo(score, 0.00021);
        expect(text(details)).to.contain(semantic ? '70% of the rule score' : '100% of the rule score');
        checked++;
      }
      expect(checked).to.equal(60);
      // An open breakdown belongs to its item: switching mode shows that item's figures in the other mode, open.
      const first = rows(element)[0]!;
      element.semantic = !semantic;
      await element.updateComplete;
      const again = debuggerRow(element, first.dataset.itemId!).querySelector<HTMLDetailsElement>('details[data-breakdown]')!;
      expect(again.open).to.equal(true);
      expect(text(again)).to.contain(semantic ? '100% of the rule score' : '70% of the rule score');
      const results = await axe.run(element, {});
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
      element.remove();
    }
  });

  it('is axe clean with a group chosen and a breakdown open', async () => {
    const element = await mountWithModel(generateWardrobe(200, 5), 'passing', true, 20);
    groupButtons(element)[0]!.click();
    await element.updateComplete;
    await openBreakdown(element, rows(element)[0]!.querySelector('details')!);
    const results = await axe.run(element, { rules: { 'color-contrast': { enabled: true } } });
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).to.deep.equal([]);
  });

  describe('on a phone (390 × 844)', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));
    afterEach(() => setViewport({ width: 800, height: 600 })); // web-test-runner's default

    it('does not scroll sideways with the panel, a chosen group and an open breakdown; its controls are 44 px tall', async () => {
      const element = await mountWithModel(generateWardrobe(200, 5), 'passing', true, 20);
      groupButtons(element)[0]!.click();
      await element.updateComplete;
      for (const details of root(element).querySelectorAll('details')) await openBreakdown(element, details);
      const page = document.scrollingElement!;
      expect(page.scrollWidth).to.be.at.most(page.clientWidth);
      expect(root(element).querySelector('table')!.scrollWidth).to.be.at.most(root(element).querySelector('table')!.clientWidth);
      const controls = [...panel(element).querySelectorAll('button'), ...root(element).querySelectorAll('details summary')];
      const small = controls.map((c) => [text(c), Math.round(c.getBoundingClientRect().height)] as const).filter(([, height]) => height < 44);
      expect(small).to.deep.equal([]);
    });
  });
});
