import { expect } from 'chai';
import '@semfilter/elements/semfilter-fleet-dashboard.js';
import type { SemfilterFleetDashboard } from '@semfilter/elements';
import { checkEdit } from './editor.js';
import { readEventStream } from './live-stream.js';
import type { FlagVersionView, SeriesView } from './types.js';
import { estimateWords, fleetEstimate, impactWords, madeWords, versionDiff } from './wording.js';

// What the dashboard says and checks, in Chromium. The dashboard against a real server (SSE,
// actions, axe, the phone layout) is test/e2e/fleet-dashboard.test.ts.

const version = (overrides: Partial<FlagVersionView> = {}): FlagVersionView => ({
  flag: 'canary',
  version: 3,
  etag: '"3-abc"',
  action: 'update',
  actor: 'alice',
  reason: null,
  at: '2026-01-01T12:00:00.000Z',
  stageStartedAt: '2026-01-01T12:00:00.000Z',
  config: { schema: 1, version: 3, flag: 'canary', mode: 'on', stages: [0.01, 0.05, 0.25, 1], stage: 1, killSwitch: false, allowlist: { users: [], groups: [] }, denylist: { users: [], groups: [] } },
  settings: { onFail: 'kill', paused: false },
  evidence: null,
  ...overrides,
});

const seriesWith = (clients: readonly number[]): SeriesView => ({
  flag: 'canary',
  stepMs: 300_000,
  stages: [{ stage: 1, mode: 'on', points: clients.map((n, i) => ({ start: i * 300_000, end: (i + 1) * 300_000, clients: n, semanticRuns: n * 4, traditionalRuns: 0, passRate: { semantic: null, traditional: null }, result: 'INCONCLUSIVE', checks: [] })) }],
});

describe('<semfilter-fleet-dashboard> words and checks', () => {
  it('estimates the users an action moves from the last closed interval, not the one still filling', () => {
    const estimate = fleetEstimate(version(), seriesWith([0, 100, 7]));
    expect(estimate).to.deep.equal({ clients: 100, share: 0.05, population: 2000 });
    expect(impactWords('kill', version(), estimate)).to.match(/^Semantic mode goes off for everyone now: about 100 users \(5%\)/);
    expect(impactWords('promote', version(), estimate)).to.contain('from 5% to 25% of users: about 400 users start running it');
    expect(impactWords('kill', version(), fleetEstimate(version(), seriesWith([0, 0])))).to.contain('an unknown number of users');
    // How a version came about, in words rather than the server's action names ("create by …", "guardrail-rollback by guardrails").
    expect(madeWords({ action: 'create', actor: 'semfilter serve --config' })).to.equal('created by semfilter serve --config');
    expect(madeWords({ action: 'kill', actor: 'alice' })).to.equal('kill switch set by alice');
    expect(madeWords({ action: 'guardrail-rollback', actor: 'guardrails' })).to.equal('rolled back by the guardrails');
    // One client, as a playground alone reports: not "1 clients".
    expect(estimateWords({ clients: 1, share: 0.25, population: 4 })).to.equal('1 client reported semantic runs at 25% in the latest interval: about 4 clients in all');
  });

  it('diffs a version against the one before, path by path', () => {
    const before = version();
    const after = version({ version: 4, config: { ...before.config, version: 4, killSwitch: true }, settings: { ...before.settings, paused: true } });
    expect(versionDiff(before, after)).to.deep.equal(['config.killSwitch: false → true', 'settings.paused: false → true']);
  });

  it('checks an edit with the core schema: the issue paths every client would report', () => {
    const paths = (config: Record<string, unknown>) => {
      const result = checkEdit(JSON.stringify({ config: { schema: 1, flag: 'canary', mode: 'on', stages: [0.1, 0.5], stage: 0, ...config } }), 4);
      return result.ok ? [] : result.issues.map((issue) => issue.path);
    };
    expect(paths({ mode: 'sometimes' })).to.deep.equal(['config.mode']);
    expect(paths({ stages: [0.5, 0.1] })).to.deep.equal(['config.stages[1]']);
    expect(paths({ colour: 'red' })).to.deep.equal(['config']);
    expect(checkEdit('{"config": {"schema": 1, "flag": "canary", "mode": "on", "coverage": 0.1}}', 4).ok).to.equal(true);
  });

  it('reads Server-Sent Events split across chunks', async () => {
    const chunks = ['retry: 2000\n\nevent: ready\ndata: {}\n\n: ping\n\nevent: ver', 'sion\ndata: {"flag":"canary"}\n\n'];
    const body = new ReadableStream<Uint8Array>({ start: (controller) => (chunks.forEach((c) => controller.enqueue(new TextEncoder().encode(c))), controller.close()) });
    const events: string[] = [];
    await readEventStream(body, (event) => events.push(`${event.event} ${event.data}`));
    expect(events).to.deep.equal(['ready {}', 'version {"flag":"canary"}']);
  });

  it('asks for the token once a tab: a refused token is said so and not kept', async () => {
    sessionStorage.clear();
    const element = document.createElement('semfilter-fleet-dashboard') as SemfilterFleetDashboard;
    // A fake server that refuses every token: this test is about the sign-in form, not the API.
    element.fetch = async () => new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'the token is not valid' } }), { status: 401 });
    document.body.append(element);
    await element.updateComplete;
    const input = element.shadowRoot!.querySelector('input[name="token"]') as HTMLInputElement;
    input.value = 'sf_adm_wrong';
    element.shadowRoot!.querySelector('form')!.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('not an admin token');
    expect(sessionStorage.getItem('semfilter-fleet-admin-token')).to.equal(null);
    element.remove();
  });
});
