import { expect } from 'chai';
import { generateWardrobe, itemVerdict, type FilterReport } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';

const request = { style: ['casual', 'classic'], occasion: 'work', mood: 'calm' };
const withoutTimings = ({ timings_ms: _, ...rest }: FilterReport) => JSON.parse(JSON.stringify(rest)) as unknown;
const thresholds = (style: number, mood: number) => ({ dimensions: { style: { threshold: style }, mood: { threshold: mood } } });

describe('prepared items in the browser facade', () => {
  it('gives the reports filter(items) gives, in both modes and at other thresholds', async () => {
    const filter = createSemanticFilter({ cache: false });
    const items = generateWardrobe(1500, 7);
    const prepared = filter.prepare(items);
    expect(prepared.size).to.equal(1500);
    for (const options of [{ semantic: false }, {}, thresholds(0.8, 0.5), thresholds(0.3, 0.9)]) {
      const expected = await filter.filter(items, request, options);
      expect(withoutTimings(await filter.filter(prepared, request, options))).to.deep.equal(withoutTimings(expected));
    }
    // The items are built on first read, yet the report behaves as a plain object.
    const report = await filter.filter(prepared, request);
    expect(structuredClone(report)).to.deep.equal(JSON.parse(JSON.stringify(report)));
    report.items = report.items.slice(0, 2);
    expect(report.items).to.have.length(2);
    filter.dispose();
  });

  it('retune reruns a run at new thresholds, as a new filter call would decide', async () => {
    const filter = createSemanticFilter({ cache: false });
    const items = generateWardrobe(1200, 3);
    // No deadline: both runs must be fully semantic for the retuned one to equal a fresh call.
    const first = await filter.run(filter.prepare(items), request, {}, { deadlineMs: Infinity });
    const retuned = filter.retune(first, thresholds(0.85, 0.4));
    const expected = await filter.filter(items, request, thresholds(0.85, 0.4), { deadlineMs: Infinity });
    expect(withoutTimings(retuned.report)).to.deep.equal(withoutTimings(expected));
    expect(retuned.report.filter_pass_rate).to.not.equal(first.report.filter_pass_rate);
    const byId = new Map(expected.items.map((verdict) => [verdict.id, verdict]));
    for (const index of [0, 17, 599, 1199]) expect(itemVerdict(retuned.run!, index)).to.deep.equal(byId.get(items[index]!.id));
    filter.dispose();
  });

  it('turns invalid items, requests and options into reports naming the place', async () => {
    const filter = createSemanticFilter({ cache: false });
    const bad = filter.prepare([{ id: 'a', mood: 7 }]);
    expect(bad.issues.map((issue) => issue.path)).to.deep.equal(['items[0].mood']);
    const report = await filter.filter(bad, { colour: 'red' });
    expect(report.fallback_reason).to.equal('INVALID_INPUT');
    expect(report.input_issues!.map((issue) => issue.path)).to.deep.equal(['items[0].mood', 'request']);
    const run = await filter.run(filter.prepare(generateWardrobe(10)), request);
    const retuned = filter.retune(run, { dimensions: { style: { threshold: 2 } } });
    expect(retuned.run).to.equal(null);
    expect(retuned.report.input_issues![0]!.path).to.equal('options.dimensions.style.threshold');
    filter.dispose();
  });
});
