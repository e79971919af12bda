import { expect } from 'chai';
import 'axe-core'; // a UMD script: it defines globalThis.axe
import type { AxeResults, RunOptions } from 'axe-core';
import { sendKeys } from '@web/test-runner-commands';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import { bucketOf, createRollout, memoryStorage, parseRolloutConfig, type Rollout, type RolloutConfig, type RolloutDecision } from '@semfilter/core/rollout';
import '@semfilter/elements/semfilter-rollout-panel.js';
import type { SemfilterRolloutPanel } from '@semfilter/elements';

const wardrobe: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
  { id: 'gown', name: 'Sequin gown', style: 'Glam', occasion: 'Gala', mood: 'Bold' },
];
const request: FilterRequest = { style: 'casual', occasion: 'work', mood: 'calm' };

/** Everyone in the rollout (last stage, 100%), so every user is served semantic mode. */
function configAt(stage: number, version = 1): RolloutConfig {
  const parsed = parseRolloutConfig({
    schema: 1, version, flag: 'panel-test', mode: 'on', stages: [0.05, 0.25, 0.5, 0.75, 1], stage, killSwitch: false,
    allowlist: { users: [], groups: [] }, denylist: { users: [], groups: [] },
  });
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return parsed.value;
}

/**
 * The core filter with no embedder: the real engine, and its real fallback. Its semantic runs fall
 * back with MODEL_UNAVAILABLE exactly as a page without the model does, which is what trips the
 * fallback guardrail here.
 */
const modelLessFilter = {
  filter: (items: unknown, req: unknown, options?: FilterOptionsInput) => filterItems(items as Item[], req as FilterRequest, { semantic: true, ...options }),
};

/** A rollout whose windows close every 20 semantic runs, over a fresh in-memory storage. */
function makeRollout(userId: string | null = 'user-1', stage = 4): Rollout {
  return createRollout({ config: configAt(stage), user: { id: userId }, filter: modelLessFilter, storage: memoryStorage(), thresholds: { windowRuns: 20, minSamples: 20 } });
}

async function mount(rollout: Rollout, userId?: string): Promise<SemfilterRolloutPanel> {
  const element = document.createElement('semfilter-rollout-panel');
  element.rollout = rollout;
  if (userId !== undefined) element.userId = userId;
  element.simulateUsers = 2000;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

/** Sends `count` requests through the rollout, then lets the background runs and the panel's coalesced render finish. */
async function traffic(rollout: Rollout, element: SemfilterRolloutPanel, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await rollout.run(wardrobe, request);
  await new Promise((resolve) => setTimeout(resolve, 400));
  await element.updateComplete;
}

const $ = (element: SemfilterRolloutPanel, selector: string) => element.shadowRoot!.querySelector<HTMLElement>(selector)!;
const $$ = (element: SemfilterRolloutPanel, selector: string) => [...element.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const axe = (globalThis as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe;
const violations = async (element: Element) => (await axe.run(element, { rules: { 'color-contrast': { enabled: true } } })).violations.map((v) => `${v.id}: ${v.help}`);

const rollouts: Rollout[] = [];
const track = (rollout: Rollout) => (rollouts.push(rollout), rollout);
afterEach(() => {
  document.querySelectorAll('semfilter-rollout-panel').forEach((e) => e.remove());
  rollouts.splice(0).forEach((r) => r.dispose());
});

describe('<semfilter-rollout-panel>', () => {
  it('shows the decision: what is served, the reason code with its sentence, bucket and stage', async () => {
    const rollout = track(makeRollout('user-1'));
    const element = await mount(rollout);
    const decision = $(element, '[part~="decision"]');
    expect($(element, '[data-served]').dataset.served).to.equal('semantic');
    expect($(element, '[data-reason]').textContent).to.equal('IN_ROLLOUT');
    expect(decision.textContent).to.contain('is within the current stage (100%)');
    expect($(element, '[data-bucket]').textContent).to.equal(rollout.decision.bucket!.toFixed(4));
    expect($(element, '[data-stage]').textContent).to.equal('100% (config "stage": 4)');
  });

  it('says NO_USER_ID for an unusable id, and follows setUser', async () => {
    const rollout = track(makeRollout(''));
    const element = await mount(rollout);
    expect($(element, '[data-reason]').textContent).to.equal('NO_USER_ID');
    expect($(element, '[data-served]').dataset.served).to.equal('traditional');
    rollout.setUser({ id: 'user-2' });
    await element.updateComplete;
    expect($(element, '[data-reason]').textContent).to.equal('IN_ROLLOUT');
  });

  it('tells mode off from a user outside the stage', async () => {
    const off = parseRolloutConfig({ ...configAt(1), mode: 'off' });
    const rollout = track(createRollout({ config: off.ok ? off.value : configAt(1), user: { id: 'user-1' }, filter: modelLessFilter, storage: memoryStorage() }));
    const element = await mount(rollout);
    expect($(element, '[data-reason]').textContent).to.equal('OUT_OF_ROLLOUT');
    expect($(element, '[part~="decision"]').textContent).to.contain("The config's mode is off");
    const id = Array.from({ length: 50 }, (_, i) => `user-${i}`).find((candidate) => bucketOf('panel-test', candidate) > 0.25)!;
    const outside = track(createRollout({ config: configAt(1), user: { id }, filter: modelLessFilter, storage: memoryStorage() }));
    element.rollout = outside;
    await element.updateComplete;
    expect($(element, '[part~="decision"]').textContent).to.match(/bucket 0\.\d{4} is above the current stage \(25%\)/);
  });

  it('marks the current stage', async () => {
    const element = await mount(track(makeRollout('user-1', 1)));
    const stages = $$(element, '[part~="stages"] li');
    expect(stages.map((li) => li.textContent!.trim().slice(0, 3).trim())).to.deep.equal(['5%', '25%', '50%', '75%', '100']);
    expect(stages.map((li) => li.getAttribute('aria-current'))).to.deep.equal([null, 'step', null, null, null]);
  });

  it('simulates a population: share per stage near its target, and a bucket histogram', async () => {
    const element = await mount(track(makeRollout('user-1', 1)));
    const shares = () => $$(element, '.shares tbody tr').map((row) => Number.parseFloat(row.querySelector('[data-share]')!.textContent!) / 100);
    [0.05, 0.25, 0.5, 0.75, 1].forEach((target, i) => expect(shares()[i]).to.be.closeTo(target, 0.03));
    expect($(element, '.shares caption').textContent).to.contain('2,000 simulated users');
    expect($$(element, '[part~="histogram"] rect')).to.have.length(20);
    expect($(element, '.shares tr[aria-current="step"]').dataset.stageIndex).to.equal('1');
    const input = $(element, 'input[name="users"]') as HTMLInputElement;
    input.focus();
    input.value = '20000';
    await sendKeys({ press: 'Enter' }); // the form submits from the keyboard
    await element.updateComplete;
    expect(element.simulateUsers).to.equal(20_000);
    expect($(element, '.shares caption').textContent).to.contain('20,000 simulated users');
    [0.05, 0.25, 0.5, 0.75, 1].forEach((target, i) => expect(shares()[i]).to.be.closeTo(target, 0.01));
  });

  it('draws the live charts from the recorder and updates them as runs arrive', async () => {
    const rollout = track(makeRollout());
    const element = await mount(rollout);
    expect($(element, '[data-runs]').textContent).to.equal('No runs yet.');
    const points = () => $$(element, '[part~="metrics"] polyline').map((line) => line.getAttribute('points')!.split(' ').filter(Boolean).length);
    const before = points().reduce((a, b) => a + b, 0);
    await traffic(rollout, element, 3);
    expect($(element, '[data-runs]').textContent).to.match(/^\d+ runs so far: 3 semantic, \d+ traditional/);
    expect(points().reduce((a, b) => a + b, 0)).to.be.above(before);
    expect($(element, '[data-value="fallback"]').textContent).to.equal('100.0%'); // every semantic run fell back: no model
    expect($(element, '[data-value="pass-traditional"]').textContent).to.match(/^\d+\.\d%$/);
    const svgs = $$(element, '[part~="metrics"] svg');
    expect(svgs).to.have.length(3);
    svgs.forEach((svg) => expect(svg.getAttribute('aria-label')).to.match(/now /));
  });

  it('shows each guardrail against its threshold, with PASS, FAIL or INCONCLUSIVE', async () => {
    const rollout = track(makeRollout());
    const element = await mount(rollout);
    const status = () => Object.fromEntries($$(element, 'table.guardrails tbody tr').map((row) => [row.dataset.metric, row.querySelector<HTMLElement>('[data-status]')!.dataset.status]));
    expect(status()).to.deep.equal({ pass_rate: 'none', fallback_or_error_rate: 'none', mean_latency_ms: 'none', p95_latency_ms: 'none', cache_hit_rate: 'none' });
    await traffic(rollout, element, 20);
    expect($(element, '[data-window-result]').dataset.windowResult).to.equal('FAIL');
    expect(status()).to.include({ fallback_or_error_rate: 'FAIL', mean_latency_ms: 'PASS', p95_latency_ms: 'PASS' });
    const row = $(element, 'tr[data-metric="fallback_or_error_rate"]');
    expect(row.querySelector('[data-value]')!.textContent).to.equal('100.0%');
    expect(row.textContent).to.contain('≤ 5.0%');
    expect($(element, '[data-failures]').textContent).to.equal('1');
  });

  it('announces a rollback with the metric, value and threshold, and re-arms from the keyboard', async () => {
    const rollout = track(makeRollout());
    const element = await mount(rollout);
    const notice = $(element, '[part~="rollback-notice"]');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent!.trim()).to.equal('');
    await traffic(rollout, element, 40);
    expect($(element, '[data-reason]').textContent).to.equal('GUARDRAIL_ROLLBACK');
    expect($(element, '[data-served]').dataset.served).to.equal('traditional');
    expect($(element, '[data-rollback-metric]').dataset.rollbackMetric).to.equal('fallback_or_error_rate');
    expect(notice.textContent).to.contain('Fallback or error rate');
    expect($(element, '[data-rollback-value]').textContent).to.equal('100.0%');
    expect($(element, '[data-rollback-threshold]').textContent).to.equal('5.0%');
    expect(await violations(element)).to.deep.equal([]);

    const events: string[] = [];
    element.addEventListener('semfilter-rearm', (e) => events.push(e.detail.metric));
    const rearm = $(element, '[part~="rearm"]') as HTMLButtonElement;
    rearm.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    await element.updateComplete;
    expect(events).to.deep.equal(['fallback_or_error_rate']);
    expect($(element, '[data-reason]').textContent).to.equal('IN_ROLLOUT');
    expect(notice.textContent!.trim()).to.equal('');
    expect(element.shadowRoot!.activeElement?.id).to.equal('decision-heading'); // focus stays in the panel
  });

  it('renders a user id as text, never as markup', async () => {
    const id = '<img src=x onerror=alert(1)>';
    const rollout = track(makeRollout(id));
    const element = await mount(rollout, id);
    expect($(element, '.user-id').textContent).to.equal(id);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
    expect($(element, '[data-reason]').textContent).to.equal('IN_ROLLOUT');
  });

  it('lists what is wrong with an invalid config instead of throwing', async () => {
    const rollout = track(createRollout({ config: { schema: 1, mode: 'sometimes' } as unknown as RolloutConfig, user: { id: 'user-1' }, filter: modelLessFilter, storage: memoryStorage() }));
    const element = await mount(rollout);
    expect($(element, '[data-reason]').textContent).to.equal('INVALID_CONFIG');
    expect($(element, '.issues').textContent).to.contain('config.');
    expect(element.shadowRoot!.querySelector('[part~="stages"]')).to.equal(null);
    expect($(element, '[part~="simulator"]').textContent).to.contain('the config is not valid');
    expect(await violations(element)).to.deep.equal([]);
  });

  it('has no accessibility violations (axe)', async () => {
    const element = await mount(track(makeRollout('user-1', 1)), 'user-1');
    expect(await violations(element)).to.deep.equal([]);
  });

  it('lets go of a rollout when removed from the page', async () => {
    const rollout = track(makeRollout());
    const element = await mount(rollout);
    element.remove();
    await rollout.run(wardrobe, request); // nothing listens any more: no render, no error
    document.body.append(element);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await element.updateComplete;
    expect($(element, '[data-runs]').textContent).to.match(/1 semantic/);
  });
});

describe('<semfilter-rollout-panel> with a decision read from an OpenFeature flag', () => {
  /** A rollout made with only `decide` (no config), as a host on OpenFeature makes it. */
  const fromFlag = (decision: Partial<RolloutDecision> & Pick<RolloutDecision, 'reason' | 'openFeature'>) =>
    track(createRollout({ user: { id: 'user-1' }, filter: modelLessFilter, storage: memoryStorage(), decide: () => ({ semantic: false, shadow: false, bucket: null, stage: null, stageIndex: null, configVersion: null, ...decision }) }));
  const reason = (element: SemfilterRolloutPanel) => $(element, '.reason span').textContent!;

  it('a flag not found or a provider not ready: the flag could not be evaluated, not an invalid rollout config', async () => {
    for (const errorCode of ['FLAG_NOT_FOUND', 'PROVIDER_NOT_READY']) {
      const element = await mount(fromFlag({ reason: 'INVALID_CONFIG', issues: [{ path: 'openfeature.semantic-filter', message: errorCode }], openFeature: { flagKey: 'semantic-filter', reason: 'ERROR', variant: null, errorCode } }));
      expect(reason(element)).to.contain(`The OpenFeature flag semantic-filter could not be evaluated: ${errorCode}`);
      expect(reason(element)).to.contain('so semantic mode stays off');
      expect(reason(element)).not.to.contain('rollout config');
      expect(reason(element)).not.to.contain('everyone');
      expect($(element, '.issues').getAttribute('aria-label')).to.equal('Problems evaluating the OpenFeature flag semantic-filter');
      expect($(element, '[part~="simulator"]').textContent).not.to.contain('the config is not valid');
      expect(await violations(element)).to.deep.equal([]);
      element.remove();
    }
  });

  it('a DISABLED flag is disabled in OpenFeature, not the kill switch', async () => {
    const element = await mount(fromFlag({ reason: 'KILL_SWITCH', openFeature: { flagKey: 'semantic-filter', reason: 'DISABLED', variant: null, errorCode: null } }));
    expect(reason(element)).to.equal('The OpenFeature flag semantic-filter is disabled in OpenFeature, so semantic mode is off.');
    expect(reason(element).toLowerCase()).not.to.contain('kill switch');
  });

  it('an off value is off for this user, not stage 0% nor mode off; on and shadow say so', async () => {
    const off = await mount(fromFlag({ reason: 'OUT_OF_ROLLOUT', openFeature: { flagKey: 'semantic-filter', reason: 'TARGETING_MATCH', variant: 'off', errorCode: null } }));
    expect(reason(off)).to.equal('The OpenFeature flag semantic-filter is off for this user (variant off, reason TARGETING_MATCH): traditional filtering.');
    expect(reason(off)).not.to.contain('0%');
    off.remove();
    const on = await mount(fromFlag({ semantic: true, reason: 'IN_ROLLOUT', bucket: bucketOf('semantic-filter', 'user-1'), openFeature: { flagKey: 'semantic-filter', reason: 'SPLIT', variant: 'on', errorCode: null } }));
    expect(reason(on)).to.equal('The OpenFeature flag semantic-filter is on for this user (variant on, reason SPLIT), so semantic mode is on.');
    expect($(on, '[data-bucket]').textContent).to.equal(bucketOf('semantic-filter', 'user-1').toFixed(4));
  });
});
