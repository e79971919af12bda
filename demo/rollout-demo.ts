import '@semfilter/elements/semfilter-rollout-panel.js';
import type { FilterReport } from '@semfilter/core';
import type { SemanticFilter } from '@semfilter/core/browser';
import { createRemoteConfig, createRollout, type DecisionChange, type Rollout } from '@semfilter/core/rollout';
import { createFaultyFilter, FAULTS, type Fault } from './faults.js';
import { trafficSummary } from './traffic-summary.js';
import { FLEET_CONFIG_STORAGE_KEY, fleetConfigUrl, showFleetMode, type FleetTarget } from './fleet-mode.js';

/** Requests one click of "Send" runs: enough for two guardrail windows of this page. */
export const TRAFFIC_REQUESTS = 60;
/** Requests in flight at once, so a slow model's traffic takes seconds, not a minute. */
const CONCURRENCY = 20;
/**
 * The playground closes a guardrail window every 25 semantic runs (the default is 50), so one
 * click of "Send 60 requests" fills two windows: two failing windows in a row roll back.
 */
const PLAYGROUND_THRESHOLDS = { windowRuns: 25 } as const;

/**
 * What the traffic and fault buttons say when there is no user id. Without one the rollout cannot
 * bucket anyone (NO_USER_ID): every request is served traditional and no guardrail window ever
 * closes, which looked like the buttons doing nothing.
 */
const NEEDS_USER_ID =
  'Type a user id first (try demo-user-6, in the rollout from the 25% stage): with none, nobody can be bucketed (NO_USER_ID), so every request gets the traditional filter and the guardrails have no semantic runs to judge.';

/** What the page around the rollout hands it. */
export interface RolloutDemoOptions {
  /** The page's real filter, shared with the debugger. */
  readonly filter: SemanticFilter;
  /** The items and request the traffic sends: the debugger's, as they are at the time of the click. */
  readonly current: () => { readonly items: unknown; readonly request: unknown };
  /** Called with the decision's `semantic` when the user id is edited, and when a decision change flips it (a rollback, a re-arm, a new config). */
  readonly onSemantic: (semantic: boolean) => void;
  /** Fleet mode's server and client key (the page's `fleet` and `key` parameters); null or absent: demo/rollout.json. */
  readonly fleet?: FleetTarget | null;
}

/**
 * Wires the "Rollout" section: demo/rollout.json served as a remote config (in fleet mode, the fleet
 * server's flag, streamed, with the metrics reported back), the user id field, the
 * fault buttons and the traffic button, and the panel. The field starts empty and the user id lives
 * in it and in the rollout only; nothing here stores it.
 */
export function startRolloutDemo(options: RolloutDemoOptions): Rollout {
  const panel = document.querySelector('semfilter-rollout-panel')!;
  const userInput = document.querySelector<HTMLInputElement>('#user-id')!;
  const trafficButton = document.querySelector<HTMLButtonElement>('#send-traffic')!;
  const trafficStatus = document.querySelector<HTMLElement>('#traffic-status')!;
  const faultButtons = new Map<Fault, HTMLButtonElement>([
    [FAULTS.MODEL_UNAVAILABLE, document.querySelector<HTMLButtonElement>('#fault-model-unavailable')!],
    [FAULTS.SLOW_MODEL, document.querySelector<HTMLButtonElement>('#fault-slow-model')!],
  ]);

  const fleet = options.fleet ?? null;
  // Vite emits the JSON as an asset and gives its URL: the page fetches it as a client would a served config.
  // In fleet mode the server serves the flag, and pushes every new version over its event stream.
  const remote =
    fleet === null
      ? createRemoteConfig({ url: new URL('./rollout.json', import.meta.url).href })
      : createRemoteConfig({ url: fleetConfigUrl(fleet), stream: true, storageKey: FLEET_CONFIG_STORAGE_KEY });
  let rollout: Rollout;
  // Slow enough to breach the p95 threshold in force, whatever the served config sets it to.
  const faulty = createFaultyFilter(options.filter, { slowMs: () => Math.round(1.5 * rollout.guardrails.thresholds.p95LatencyMs) });
  rollout = createRollout({ config: remote, user: { id: userInput.value }, filter: faulty, thresholds: PLAYGROUND_THRESHOLDS });
  // Only a flip moves the switch: the served config arriving after a person switched by hand must not undo that.
  rollout.addEventListener('decision', (event) => {
    const { decision, previous } = (event as CustomEvent<DecisionChange>).detail;
    if (decision.semantic !== previous.semantic) options.onSemantic(decision.semantic);
  });
  remote.start();

  panel.userId = userInput.value;
  panel.rollout = rollout;
  if (fleet !== null) {
    showFleetMode({
      target: fleet,
      rollout,
      remote,
      status: document.querySelector<HTMLElement>('#fleet-status')!,
      source: document.querySelector<HTMLElement>('#rollout-source')!,
      hint: document.querySelector<HTMLElement>('#fleet-hint')!,
    });
  }

  const missingUser = () => userInput.value === '' || rollout.decision.reason === 'NO_USER_ID';
  const askForUser = () => {
    trafficStatus.textContent = NEEDS_USER_ID;
    userInput.focus();
  };

  userInput.addEventListener('input', () => {
    rollout.setUser({ id: userInput.value });
    panel.userId = userInput.value;
    options.onSemantic(rollout.decision.semantic); // even when the decision is the same: the switch follows the user
    if (trafficStatus.textContent === NEEDS_USER_ID && !missingUser()) trafficStatus.textContent = '';
  });

  const showFaults = () => faultButtons.forEach((button, fault) => button.setAttribute('aria-pressed', String(faulty.faults.has(fault))));
  faultButtons.forEach((button, fault) =>
    button.addEventListener('click', () => {
      faulty.set(fault, !faulty.faults.has(fault));
      showFaults();
      // The fault is set either way (it waits for a user), but it acts on semantic runs only.
      if (missingUser()) askForUser();
    }),
  );
  document.querySelector('#clear-faults')!.addEventListener('click', () => (faulty.clear(), showFaults()));
  showFaults();

  trafficButton.addEventListener('click', async () => {
    if (missingUser()) return askForUser();
    trafficButton.disabled = true;
    trafficStatus.textContent = `Sending ${TRAFFIC_REQUESTS} requests…`;
    const { items, request } = options.current();
    const reports = await sendTraffic(rollout, items, request);
    await rollout.settled(); // the background comparisons are part of what the guardrails judge
    trafficStatus.textContent = trafficSummary(reports);
    trafficButton.disabled = false;
  });
  return rollout;
}

/** Runs the requests through the rollout, CONCURRENCY at a time; rollout.run never rejects. */
async function sendTraffic(rollout: Rollout, items: unknown, request: unknown): Promise<FilterReport[]> {
  const reports: FilterReport[] = [];
  let next = 0;
  const worker = async () => {
    while (next < TRAFFIC_REQUESTS) {
      next++;
      reports.push(await rollout.run(items, request));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return reports;
}
