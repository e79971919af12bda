import type { PopulationSimulation, RolloutConfig, RolloutDecision } from '@semfilter/core/rollout';
import { html, nothing, type TemplateResult } from 'lit';
import { CHART_HEIGHT, CHART_WIDTH, histogramChart } from './charts.js';
import { describeDecision, percent, servedMode } from './wording.js';

/** A heading at the level the host chose, so the panel fits the page's outline. */
export function heading(level: number, id: string, text: string, focusable = false): TemplateResult {
  return html`<div role="heading" aria-level=${level} id=${id} class="heading" tabindex=${focusable ? '-1' : nothing}>${text}</div>`;
}

const SERVED_LABELS = { semantic: 'semantic mode', shadow: 'traditional, semantic in the shadow', traditional: 'traditional' } as const;

/** The current user's decision: what is served, the reason code and its sentence, bucket, stage and config version. */
export function decisionTemplate(decision: RolloutDecision, mode: string | undefined, userId: string | null | undefined, level: number): TemplateResult {
  const served = servedMode(decision);
  return html`<section part="decision" aria-labelledby="decision-heading">
    ${heading(level, 'decision-heading', 'This user', true)}
    <p class="served" data-served=${served}>Served: <strong>${SERVED_LABELS[served]}</strong></p>
    <p class="reason"><code data-reason=${decision.reason}>${decision.reason}</code> <span>${describeDecision(decision, mode)}</span></p>
    <dl>
      ${userId === undefined ? nothing : html`<dt>User id</dt><dd class="user-id">${userId === null || userId === '' ? html`<em>none</em>` : userId}</dd>`}
      <dt>Bucket</dt><dd data-bucket>${decision.bucket === null ? '—' : decision.bucket.toFixed(4)}</dd>
      <dt>Stage</dt><dd data-stage>${decision.stage === null ? '—' : percent(decision.stage)}${decision.stageIndex === null ? '' : ` (config "stage": ${decision.stageIndex})`}</dd>
      <dt>Config version</dt><dd>${decision.configVersion ?? '—'}</dd>
    </dl>
    ${decision.issues && decision.issues.length > 0
      ? html`<ul class="issues" aria-label=${decision.openFeature ? `Problems evaluating the OpenFeature flag ${decision.openFeature.flagKey}` : 'Problems in the rollout config'}>${decision.issues.slice(0, 12).map((issue) => html`<li>${issue.path}: ${issue.message}</li>`)}</ul>`
      : nothing}
  </section>`;
}

/** The config's stages, the current one marked (aria-current), or its single coverage. */
export function stagesTemplate(config: RolloutConfig, level: number): TemplateResult {
  const stages = config.stages ?? [config.coverage ?? 0];
  const current = config.stages ? (config.stage ?? 0) : 0;
  return html`<section part="stages" aria-labelledby="stages-heading">
    ${heading(level, 'stages-heading', 'Stages')}
    <p class="meta">Flag <code>${config.flag}</code>, mode <strong>${config.mode}</strong>, config version ${config.version}${config.killSwitch ? html`, <strong class="fail">kill switch on</strong>` : ''}.</p>
    <ol class="stages">
      ${stages.map((coverage, i) => html`<li class=${i === current ? 'current' : i < current ? 'done' : ''} aria-current=${i === current ? 'step' : nothing}>
        ${percent(coverage)}${i === current ? html` <span class="tag">current</span>` : nothing}</li>`)}
    </ol>
  </section>`;
}

/** Inputs of the simulator form, and what it does with them. */
export interface SimulatorControls {
  readonly users: number;
  readonly max: number;
  readonly onSubmit: (event: SubmitEvent) => void;
}

/** The population simulator: N users, share per stage against its target, and the bucket histogram. */
export function simulatorTemplate(simulation: PopulationSimulation | undefined, controls: SimulatorControls, bucket: number | null, level: number): TemplateResult {
  return html`<section part="simulator" aria-labelledby="simulator-heading">
    ${heading(level, 'simulator-heading', 'Population simulator')}
    <form @submit=${controls.onSubmit}>
      <label>Simulated users <input name="users" type="number" min="1" max=${controls.max} step="1" required .value=${String(controls.users)} /></label>
      <button type="submit">Simulate</button>
    </form>
    ${simulation === undefined ? html`<p class="meta">No simulation: the config is not valid.</p>` : simulationResult(simulation, bucket)}
  </section>`;
}

function simulationResult(simulation: PopulationSimulation, bucket: number | null): TemplateResult {
  const pp = (deviation: number) => `${deviation >= 0 ? '+' : ''}${(100 * deviation).toFixed(2)} pp`;
  const coverage = simulation.current.coverage;
  const bins = simulation.histogram.length;
  return html`<table class="shares">
      <caption>Share of ${simulation.users.toLocaleString('en')} simulated users (ids user-0 … user-${simulation.users - 1}) in semantic mode at each stage</caption>
      <thead><tr><th scope="col">Config "stage"</th><th scope="col">Target</th><th scope="col">Share</th><th scope="col">Deviation</th></tr></thead>
      <tbody>${simulation.stages.map((stage) => html`<tr class=${stage.index === simulation.current.index ? 'current' : ''} aria-current=${stage.index === simulation.current.index ? 'step' : nothing} data-stage-index=${stage.index}>
        <th scope="row">${stage.index}</th><td>${percent(stage.coverage)}</td><td data-share>${percent(stage.share, 2)}</td><td>${pp(stage.deviation)}</td></tr>`)}</tbody>
    </table>
    <p class="meta">Largest deviation from a target: <strong data-max-deviation>${(100 * simulation.maxDeviation).toFixed(2)} pp</strong>.</p>
    <figure>
      <svg part="histogram" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img"
        aria-label="Histogram of the simulated users' buckets in ${bins} bins from 0 to 1; buckets up to ${percent(coverage)} are in the current stage${bucket === null ? '' : `; this user's bucket is ${bucket.toFixed(4)}`}">
        ${histogramChart(simulation.histogram, coverage, bucket)}
      </svg>
      <figcaption>Buckets of the simulated users, ${bins} bins from 0 to 1. Filled: in the current stage (${percent(coverage)}).${bucket === null ? '' : ` The triangle marks this user (${bucket.toFixed(4)}).`}</figcaption>
    </figure>`;
}
