import { expect } from 'chai';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import { createRollout, parseRolloutConfig } from '@semfilter/core/rollout';
import type { RolloutFrame } from './fixtures/rollback-frame.js';
import { framePage } from './helpers.js';

// A test page cannot reload itself, so the host page under test is a same-origin iframe that the
// test loads and then reloads for real (location.reload(): a new document, new module instances,
// nothing in memory carried over). Only localStorage, which the frame and this page share, can
// carry a rollback from one load to the next.
const KEY = 'semfilter-rollback:semantic-filter';
const FIXTURE = '/test/browser/fixtures/rollback-frame.html';

const frames = framePage<RolloutFrame>('rolloutFrame');
const frameApi = frames.api;
const reload = frames.reload;

function openFrame(version: number): Promise<HTMLIFrameElement> {
  return frames.open(`${FIXTURE}?version=${version}`);
}

describe('guardrail rollback in Chromium', () => {
  beforeEach(() => localStorage.removeItem(KEY));
  afterEach(() => {
    document.querySelectorAll('iframe').forEach((frame) => frame.remove());
    localStorage.removeItem(KEY);
  });

  it('stays rolled back across a real reload of the page: the latch lives in localStorage', async () => {
    const frame = await openFrame(1);
    const first = await frameApi(frame);
    expect(first.decision().reason).to.equal('IN_ROLLOUT');
    expect(await first.traffic(5)).to.equal(0); // one failing window (3 runs) is not enough
    expect(await first.traffic(1)).to.equal(1); // the second one in a row rolls back
    expect(first.decision().reason).to.equal('GUARDRAIL_ROLLBACK');
    const stored = JSON.parse(localStorage.getItem(KEY)!);
    expect(stored).to.include({ flag: 'semantic-filter', configVersion: 1, metric: 'fallback_or_error_rate', value: 1, threshold: 0.05 });

    const reloaded = await reload(frame);
    expect(reloaded.loadId).to.not.equal(first.loadId);
    expect(reloaded.decision()).to.include({ semantic: false, reason: 'GUARDRAIL_ROLLBACK', configVersion: 1 });
    expect(await reloaded.serve()).to.equal('DISABLED'); // served by the traditional filter

    // And a brand-new controller in this page, on the same localStorage, agrees.
    const config = parseRolloutConfig({ schema: 1, version: 1, flag: 'semantic-filter', mode: 'on', coverage: 1 });
    if (!config.ok) throw new Error('config');
    const noModel = { filter: (items: unknown, request: unknown, options?: FilterOptionsInput) => filterItems(items as Item[], request as FilterRequest, options) };
    expect(createRollout({ config: config.value, user: { id: 'frame-user' }, filter: noModel }).decision.reason).to.equal('GUARDRAIL_ROLLBACK');
  });

  it('a person re-arms it; after the next reload semantic mode is back', async () => {
    const frame = await openFrame(1);
    await (await frameApi(frame)).traffic(6);
    const rolledBack = await reload(frame);
    expect(rolledBack.decision().reason).to.equal('GUARDRAIL_ROLLBACK');
    rolledBack.rearm();
    expect(rolledBack.decision().reason).to.equal('IN_ROLLOUT');
    expect(localStorage.getItem(KEY)).to.equal(null);
    const rearmed = await reload(frame);
    expect(rearmed.decision()).to.include({ semantic: true, reason: 'IN_ROLLOUT' });
    expect(await rearmed.serve()).to.not.equal('DISABLED');
  });

  it('a new config version on the next load clears the rollback', async () => {
    const frame = await openFrame(1);
    await (await frameApi(frame)).traffic(6);
    expect(localStorage.getItem(KEY)).to.not.equal(null);
    const before = (await frameApi(frame)).loadId;
    frame.src = `${FIXTURE}?version=2`;
    const next = await frameApi(frame, before);
    expect(next.decision()).to.include({ semantic: true, reason: 'IN_ROLLOUT', configVersion: 2 });
    expect(localStorage.getItem(KEY)).to.equal(null);
  });
});
