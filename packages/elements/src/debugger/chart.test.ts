import { expect } from 'chai';
import { sendMouse, setViewport } from '@web/test-runner-commands';
import { axe, mountDebugger, removeDebuggers } from '../../../../test/browser/debugger-support.js';
import type { Dimension } from '@semfilter/core';
import type { SemfilterDebugger } from '@semfilter/elements';

const items = Array.from({ length: 40 }, (_, i) => ({ id: `item-${i}`, name: `Item ${i}`, style: ['casual', 'classic', 'sporty', 'relaxed'][i % 4], occasion: 'work', mood: ['calm', 'serene', 'bold'][i % 3] }));
const request = { style: 'casual', occasion: 'work', mood: 'calm' };
const DIMENSIONS: Dimension[] = ['style', 'occasion', 'mood'];

const slider = (element: SemfilterDebugger, dimension: Dimension) => element.shadowRoot!.querySelector<HTMLInputElement>(`#threshold-${dimension}`)!;
const box = (element: SemfilterDebugger, dimension: Dimension) => slider(element, dimension).closest('.threshold')!;

/** Where a range input puts its thumb's centre for a value: left + thumb/2 + value × (width − thumb), the thumb's width as the styles give it. */
function thumbCentre(input: HTMLInputElement, value: number): number {
  const thumb = parseFloat(getComputedStyle(input).getPropertyValue('--_thumb'));
  expect(thumb, 'the thumb has a width in px').to.be.above(0);
  const { left } = input.getBoundingClientRect();
  return left + thumb / 2 + value * (input.clientWidth - thumb);
}

async function setThreshold(element: SemfilterDebugger, dimension: Dimension, value: number): Promise<void> {
  slider(element, dimension).value = String(value);
  slider(element, dimension).dispatchEvent(new Event('input'));
  await element.updateComplete;
}

/** Waits (up to 10 s) for the charts' curves, which are drawn when the page is idle after the first report. */
async function mountWithCurves(): Promise<SemfilterDebugger> {
  const element = await mountDebugger({ items, request, view: 'all' });
  const deadline = Date.now() + 10_000;
  while (element.shadowRoot!.querySelectorAll('.plot .curve').length < 3) {
    if (Date.now() > deadline) throw new Error('the charts drew no curve');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return element;
}

/** Checks that each chart's marker sits on its slider thumb's centre (within 1.5 px) at several values. */
async function expectMarkersOnThumbs(element: SemfilterDebugger): Promise<void> {
  for (const dimension of DIMENSIONS)
    for (const value of [0, 0.25, 0.37, 0.6, 0.83, 1]) { // 0.37 and 0.83 lie between the curve's steps
      await setThreshold(element, dimension, value);
      const marker = box(element, dimension).querySelector('.marker')!.getBoundingClientRect();
      const x = marker.left + marker.width / 2;
      expect(Math.abs(x - thumbCentre(slider(element, dimension), value)), `${dimension} at ${value}: marker at ${x.toFixed(1)} px`).to.be.at.most(1.5);
    }
}

/** Rectangles that overlap (labels drawn over each other are not readable). */
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

afterEach(removeDebuggers);

describe('<semfilter-debugger> threshold charts', () => {
  it('puts the threshold marker on the slider thumb\'s centre at every value', async () => {
    const element = await mountWithCurves();
    await expectMarkersOnThumbs(element);
  });

  it('computes the thumb centre where Chromium puts the thumb: a click there sets that value', async () => {
    const element = await mountWithCurves();
    const input = slider(element, 'style');
    input.scrollIntoView({ block: 'center' });
    for (const value of [0.1, 0.9, 0.37]) {
      const { top, height } = input.getBoundingClientRect();
      // A click at the computed centre gives that value only when the thumb is as wide as the styles say (the check of thumbCentre's width).
      await sendMouse({ type: 'click', position: [Math.round(thumbCentre(input, value)), Math.round(top + height / 2)] });
      await element.updateComplete;
      expect(Number(input.value), `clicked at the centre computed for ${value}`).to.be.closeTo(value, 0.008); // half a step, and half a pixel
    }
  });

  it('labels both axes: threshold 0 to 1 along x, pass rate 0% to 100% up y, ticks where their values lie', async () => {
    const element = await mountWithCurves();
    const chart = box(element, 'mood');
    const texts = (selector: string) => [...chart.querySelectorAll(`${selector} span`)].map((s) => s.textContent!.trim());
    expect(texts('.x-ticks')).to.deep.equal(['0', '0.25', '0.5', '0.75', '1']);
    expect(texts('.y-ticks')).to.deep.equal(['100%', '50%', '0%']);
    expect(chart.querySelector('.x-title')!.textContent!.trim()).to.equal('threshold');
    expect(chart.querySelector('.y-title')!.textContent!.trim()).to.equal('pass rate');
    expect(chart.querySelector('svg')!.getAttribute('aria-label')).to.match(/^Semantic pass rate \(0 to 100%\) against the mood threshold \(0 to 1\), marked at \d\.\d\d$/);
    // Each x tick's centre is where the thumb sits for its value; each y tick at its height in the plot.
    const input = slider(element, 'mood');
    for (const tick of chart.querySelectorAll<HTMLElement>('.x-ticks span')) {
      const r = tick.getBoundingClientRect();
      expect(Math.abs(r.left + r.width / 2 - thumbCentre(input, Number(tick.textContent))), `x tick ${tick.textContent}`).to.be.at.most(1.5);
    }
    const plot = chart.querySelector('svg')!.getBoundingClientRect();
    for (const tick of chart.querySelectorAll<HTMLElement>('.y-ticks span')) {
      const r = tick.getBoundingClientRect();
      const y = plot.bottom - (parseFloat(tick.textContent!) / 100) * plot.height;
      expect(Math.abs(r.top + r.height / 2 - y), `y tick ${tick.textContent}`).to.be.at.most(1.5);
      expect(r.right).to.be.at.most(plot.left);
    }
  });

  describe('on a phone (390 × 844)', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));
    afterEach(() => setViewport({ width: 800, height: 600 }));

    it('keeps the markers on the thumbs, the labels apart and readable, without sideways scroll, axe clean', async () => {
      const element = await mountWithCurves();
      await expectMarkersOnThumbs(element);
      const page = document.scrollingElement!;
      expect(page.scrollWidth).to.be.at.most(page.clientWidth);
      for (const dimension of DIMENSIONS) {
        const labels = [...box(element, dimension).querySelectorAll<HTMLElement>('.x-ticks span, .y-ticks span, .axis-title')];
        for (const label of labels) expect(parseFloat(getComputedStyle(label).fontSize), label.textContent!).to.be.at.least(11);
        const rects = labels.map((l) => l.getBoundingClientRect());
        for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlap(rects[i]!, rects[j]!), `${labels[i]!.textContent} / ${labels[j]!.textContent}`).to.equal(false);
        const outer = box(element, dimension).getBoundingClientRect();
        for (const r of rects) expect(r.left >= outer.left - 8 && r.right <= outer.right + 8).to.equal(true);
      }
      const results = await axe.run(element, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
      expect(results.violations.map((v) => v.id)).to.deep.equal([]);
    });
  });
});
