import { html, nothing, type TemplateResult } from 'lit';
import type { DeliveryView, FlagVersionView, WindowView } from './types.js';
import { CHECK_LABELS, formatValue, madeWords, nextPromotionWords, scheduleWords, stageWords, stateWords, versionDiff, when } from './wording.js';

/** Every flag: mode, stage, schedule, next promotion; the selected one marked, each a button that selects it. */
export function flagsTemplate(flags: readonly FlagVersionView[], selected: string | null, windows: readonly WindowView[], now: number, select: (flag: string) => void): TemplateResult {
  return html`<ul class="cards" part="flags">
    ${flags.map(
      (flag) => html`<li class="card" data-flag=${flag.flag} data-kill=${String(flag.config.killSwitch)}>
        <button type="button" class="link" aria-current=${flag.flag === selected ? 'true' : 'false'} @click=${() => select(flag.flag)}>${flag.flag}</button>
        <dl>
          <dt>State</dt><dd>${stateWords(flag)}</dd>
          <dt>Mode</dt><dd>${flag.config.mode}</dd>
          <dt>Stage</dt><dd>${stageWords(flag.config)}</dd>
          <dt>Schedule</dt><dd>${scheduleWords(flag)}</dd>
          <dt>Next promotion</dt><dd>${nextPromotionWords(flag, flag.flag === selected ? windows : [], now)}</dd>
          <dt>Version</dt><dd>${flag.version}, ${madeWords(flag)}, ${when(flag.at)}</dd>
        </dl>
      </li>`,
    )}
  </ul>`;
}

/** The guardrail windows with their evidence: every check's value, baseline, threshold and outcome, the samples and clients. */
export function windowsTemplate(windows: readonly WindowView[]): TemplateResult {
  if (windows.length === 0) return html`<p class="meta">No window judged yet: the first closes one window length after the stage starts.</p>`;
  return html`<ol class="cards" part="windows">
    ${windows.map(
      (w) => html`<li class="card window" data-result=${w.result}>
        <p><span class="badge" data-result=${w.result}>${w.result}</span> ${when(w.start)} – ${when(w.end).slice(11)}, stage ${w.stage + 1}, version ${w.configVersion}</p>
        <p class="meta">${w.semanticRuns.toLocaleString('en')} semantic and ${w.traditionalRuns.toLocaleString('en')} traditional runs (samples) from ${w.clients.toLocaleString('en')} clients</p>
        <div class="table-scroll" role="region" aria-label=${`checks of the window at ${when(w.start)}`} tabindex="0">
          <table>
            <thead><tr><th scope="col">Check</th><th scope="col">Value</th><th scope="col">Baseline</th><th scope="col">Threshold</th><th scope="col">Result</th></tr></thead>
            <tbody>
              ${w.checks.map(
                (c) => html`<tr data-check=${c.metric}>
                  <th scope="row">${CHECK_LABELS[c.metric] ?? c.metric}</th>
                  <td>${formatValue(c.metric, c.value)}</td>
                  <td>${formatValue(c.metric, c.baseline)}</td>
                  <td>${c.bound === 'max' ? '≤' : '≥'} ${formatValue(c.metric, c.threshold)}</td>
                  <td><span class="badge" data-result=${c.status}>${c.status}</span></td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </li>`,
    )}
  </ol>`;
}

/** The config history, newest first: who (token name), when, why, and what changed from the version before. */
export function historyTemplate(versions: readonly FlagVersionView[]): TemplateResult {
  return html`<ol class="cards" part="history">
    ${versions.map(
      (v, i) => html`<li class="card" data-version=${v.version} data-action=${v.action}>
        <p><strong>Version ${v.version}</strong>: ${madeWords(v)}, ${when(v.at)}</p>
        <p>Why: ${v.reason ?? html`<span class="meta">no reason given</span>`}</p>
        <ul class="diff" aria-label=${`changes in version ${v.version}`}>
          ${versionDiff(versions[i + 1], v).map((line) => html`<li><code>${line}</code></li>`)}
        </ul>
      </li>`,
    )}
  </ol>`;
}

/** The webhook delivery log: every attempt, its status or error. */
export function deliveriesTemplate(deliveries: readonly DeliveryView[]): TemplateResult {
  if (deliveries.length === 0) return html`<p class="meta">No webhook deliveries (add a webhook with POST /v1/flags/:flag/webhooks).</p>`;
  return html`<ol class="cards" part="deliveries">
    ${deliveries.map(
      (d) => html`<li class="card" data-ok=${String(d.ok)}>
        <p><span class="badge" data-result=${d.ok ? 'PASS' : 'FAIL'}>${d.ok ? 'delivered' : 'failed'}</span> ${d.event}, attempt ${d.attempt}, ${when(d.at)}</p>
        <p class="meta wrap">${d.url} — ${d.status === null ? 'no answer' : `HTTP ${d.status}`}${d.error === null ? nothing : `: ${d.error}`}</p>
      </li>`,
    )}
  </ol>`;
}
