import { html, nothing, type TemplateResult } from 'lit';
import type { EditIssue } from './editor.js';
import type { FlagVersionView, FleetAction, WindowView } from './types.js';
import { estimateWords, nextPromotionWords, stateWords, type FleetEstimate } from './wording.js';

/** The actions' names, on their buttons and confirmations. */
export const ACTION_TITLES: Readonly<Record<FleetAction | 'edit', string>> = {
  kill: 'Kill switch: turn semantic mode off',
  promote: 'Promote to the next stage',
  rollback: 'Roll back one stage',
  pause: 'Pause promotion',
  resume: 'Resume promotion',
  edit: 'Publish the edited config',
};

/** An action waiting for its confirmation: what it is called and what it will do, in words. */
export interface Pending {
  readonly action: FleetAction | 'edit';
  readonly title: string;
  readonly words: string;
}

/**
 * The selected flag's state, who reports, the next promotion, and the actions: first on the page
 * (and so on a phone's first screen), the kill switch first among them.
 */
export function statusTemplate(flag: FlagVersionView, seen: { estimate: FleetEstimate | null; windows: readonly WindowView[]; error: string | null }, on: { action: (action: FleetAction) => void; edit: () => void }): TemplateResult {
  const { config } = flag;
  const last = config.stages === undefined || config.stage === undefined || config.stage + 1 >= config.stages.length;
  const button = (action: FleetAction, disabled: boolean, className = '') =>
    html`<button type="button" class=${className} part=${action === 'kill' ? 'kill-switch' : action} data-action=${action} ?disabled=${disabled} @click=${() => on.action(action)}>${ACTION_TITLES[action]}</button>`;
  return html`<section class="status" part="status" data-kill=${String(config.killSwitch)} aria-labelledby="flag-heading">
    <h2 id="flag-heading">${flag.flag}, version ${flag.version}</h2>
    <p><strong>${stateWords(flag)}</strong></p>
    <p data-clients>Clients reporting: ${estimateWords(seen.estimate)}.</p>
    <p>Next promotion: ${nextPromotionWords(flag, seen.windows, Date.now())}.</p>
    <div class="toolbar" role="group" aria-label="Actions">
      ${button('kill', config.killSwitch, 'danger')} ${button('rollback', config.killSwitch)} ${button('promote', config.killSwitch || last)}
      ${flag.settings.paused ? button('resume', false) : button('pause', false)}
      <button type="button" @click=${on.edit}>Edit the config</button>
    </div>
    ${seen.error === null ? nothing : html`<p class="error" role="alert">${seen.error}</p>`}
  </section>`;
}

/** The sign-in form: the admin token, asked once per tab. */
export function signInTemplate(error: string | null, submit: (event: SubmitEvent) => void): TemplateResult {
  return html`<h1>Fleet dashboard</h1>
    <form @submit=${submit}>
      <label>Admin token <input name="token" type="password" autocomplete="off" required /></label>
      <p class="meta">Kept in this tab only (sessionStorage), sent in the Authorization header.</p>
      ${error === null ? nothing : html`<p class="error" role="alert">${error}</p>`}
      <button type="submit">Sign in</button>
    </form>`;
}

/** The config editor: the document as JSON, its issues as typed (announced politely), publish once valid. */
export function editorTemplate(text: string, issues: readonly EditIssue[], on: { input: (event: Event) => void; publish: () => void; cancel: () => void }): TemplateResult {
  return html`<section aria-labelledby="edit-heading">
    <h2 id="edit-heading">Edit the config</h2>
    <label>Config and settings (JSON)
      <textarea spellcheck="false" aria-describedby="edit-issues" .value=${text} @input=${on.input}></textarea>
    </label>
    <div id="edit-issues" aria-live="polite">
      ${issues.length === 0
        ? html`<p class="meta">Valid: every client will accept this config.</p>`
        : html`<ul class="issues">${issues.map((issue) => html`<li><code>${issue.path}</code>: ${issue.message}</li>`)}</ul>`}
    </div>
    <div class="toolbar">
      <button type="button" ?disabled=${issues.length > 0} @click=${on.publish}>Publish…</button>
      <button type="button" @click=${on.cancel}>Cancel</button>
    </div>
  </section>`;
}

/**
 * The confirmation (a modal <dialog>: focus stays in it, Escape cancels): what will happen to how
 * many users, and an optional reason for the history.
 */
export function dialogTemplate(pending: Pending | null, flag: FlagVersionView | undefined, submit: (event: SubmitEvent, pending: Pending) => void, close: () => void): TemplateResult {
  return html`<dialog aria-labelledby="confirm-heading" aria-describedby="confirm-words" @close=${close}>
    ${pending === null || flag === undefined
      ? nothing
      : html`<form @submit=${(event: SubmitEvent) => submit(event, pending)}>
          <h2 id="confirm-heading">${pending.title}: ${flag.flag}?</h2>
          <p id="confirm-words">${pending.words}</p>
          <label>Reason (kept in the history) <input name="reason" maxlength="500" /></label>
          <div class="toolbar">
            <button type="submit" value="confirm" class=${pending.action === 'kill' ? 'danger' : ''}>Confirm: ${pending.title.toLowerCase()}</button>
            <button type="submit" value="cancel" formnovalidate>Cancel</button>
          </div>
        </form>`}
  </dialog>`;
}
