import { html, LitElement, nothing } from 'lit';
import { AdminApi, AdminApiError } from './api.js';
import { seriesTemplate } from './charts.js';
import { checkEdit, editableText, type EditIssue } from './editor.js';
import { followStream, type StreamEvent } from './live-stream.js';
import { ACTION_TITLES, dialogTemplate, editorTemplate, signInTemplate, statusTemplate, type Pending } from './panel-templates.js';
import { fleetDashboardStyles } from './styles.js';
import { deliveriesTemplate, flagsTemplate, historyTemplate, windowsTemplate } from './templates.js';
import type { DeliveryView, FlagVersionView, FleetAction, SeriesView, WindowView } from './types.js';
import { fleetEstimate, impactWords, lastMoveWords, madeWords, stateWords } from './wording.js';

/** Where the admin token is kept: sessionStorage, so it lives as long as the tab and is asked once per tab. */
export const FLEET_TOKEN_KEY = 'semfilter-fleet-admin-token';

/** Detail of `semfilter-fleet-change`: the change the operator made and the version in force after it. */
export interface SemfilterFleetChangeDetail {
  readonly flag: string;
  readonly action: FleetAction | 'edit';
  readonly version: number;
}

/**
 * The operator's fleet dashboard for `semfilter serve`: every flag's state, live charts of the
 * fleet's numbers per stage with their guardrail thresholds, the guardrail windows and their
 * evidence, why the last promotion or rollback happened, the config history with diffs, the webhook
 * delivery log, and the actions (kill switch, promote, roll back, pause, resume, edit), each
 * confirmed with what it will do to how many users. It asks for the admin token once per tab and
 * follows the server's admin stream, so a rollback shows as soon as the server makes it.
 *
 * @fires semfilter-fleet-change - an action or an edit was confirmed and the server took it; detail `{ flag, action, version }`
 * @csspart flags - every flag with its mode, stage, schedule and next promotion
 * @csspart status - the selected flag's state and the actions
 * @csspart kill-switch - the kill switch button
 * @csspart windows - the guardrail windows with their checks
 * @csspart history - the config history with a diff per version
 * @csspart deliveries - the webhook delivery log
 * @csspart announcement - the live region that announces pushed changes
 * @cssprop --semfilter-font - font shorthand
 * @cssprop --semfilter-text-color - text colour
 * @cssprop --semfilter-muted-color - secondary text, the traditional line
 * @cssprop --semfilter-pass-color - PASS
 * @cssprop --semfilter-reject-color - FAIL, thresholds, the kill switch
 * @cssprop --semfilter-accent-color - chart lines, links, focus ring
 * @cssprop --semfilter-border-color - borders
 * @cssprop --semfilter-surface-color - background
 */
export class SemfilterFleetDashboard extends LitElement {
  static override styles = fleetDashboardStyles;
  static override properties = {
    baseUrl: { attribute: 'base-url' },
    storage: { attribute: false },
    fetch: { attribute: false },
    _api: { state: true },
    _signInError: { state: true },
    _flags: { state: true },
    _selected: { state: true },
    _history: { state: true },
    _windows: { state: true },
    _deliveries: { state: true },
    _series: { state: true },
    _live: { state: true },
    _announcement: { state: true },
    _pending: { state: true },
    _actionError: { state: true },
    _editText: { state: true },
    _editIssues: { state: true },
  };

  /** The fleet server's origin; empty (default): the page's own. */
  declare baseUrl: string;
  /** Where the token is kept for the tab (default sessionStorage; null: asked on every load). */
  declare storage: Storage | null;
  /** The fetch the dashboard calls the server with (default: the page's). */
  declare fetch: typeof fetch | undefined;
  declare private _api: AdminApi | null;
  declare private _signInError: string | null;
  declare private _flags: FlagVersionView[];
  declare private _selected: string | null;
  declare private _history: FlagVersionView[];
  declare private _windows: WindowView[];
  declare private _deliveries: DeliveryView[];
  declare private _series: SeriesView | null;
  declare private _live: 'offline' | 'connecting' | 'live';
  declare private _announcement: string;
  declare private _pending: Pending | null;
  declare private _actionError: string | null;
  declare private _editText: string | null;
  declare private _editIssues: readonly EditIssue[];
  #stream: AbortController | null = null;
  #refresh: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.baseUrl = '';
    this.storage = typeof sessionStorage === 'undefined' ? null : sessionStorage;
    this._api = null;
    this._signInError = null;
    this._flags = [];
    this._selected = null;
    this._history = [];
    this._windows = [];
    this._deliveries = [];
    this._series = null;
    this._live = 'offline';
    this._announcement = '';
    this._pending = null;
    this._actionError = null;
    this._editText = null;
    this._editIssues = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const kept = this.storage?.getItem(FLEET_TOKEN_KEY);
    if (kept) void this.#signIn(kept);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stream?.abort();
    this.#stream = null;
  }

  protected override render() {
    if (this._api === null) return signInTemplate(this._signInError, (event) => void this.#onSignIn(event));
    const flag = this._flags.find((f) => f.flag === this._selected);
    return html`
      <header>
        <h1>Fleet dashboard</h1>
        <p class="meta" data-live=${this._live}>${this._live === 'live' ? 'Live: changes are pushed' : this._live === 'connecting' ? 'Connecting to the live stream…' : 'Offline: reconnecting'}</p>
        <button type="button" @click=${this.#signOut}>Sign out</button>
      </header>
      <p role="status" part="announcement" class="announcement">${this._announcement}</p>
      ${this._flags.length > 1
        ? html`<label class="row">Flag <select @change=${(e: Event) => this.#select((e.target as HTMLSelectElement).value)}>
            ${this._flags.map((f) => html`<option value=${f.flag} ?selected=${f.flag === this._selected}>${f.flag}</option>`)}
          </select></label>`
        : nothing}
      ${flag === undefined ? html`<p class="meta">No flag yet: create one with PUT /v1/flags/:flag.</p>` : this.#flagTemplate(flag)}
      <h2>All flags</h2>
      ${flagsTemplate(this._flags, this._selected, this._windows, Date.now(), (name) => this.#select(name))}
      ${dialogTemplate(this._pending, flag, (event, pending) => void this.#onConfirm(event, flag!, pending), () => (this._pending = null))}
    `;
  }

  #flagTemplate(flag: FlagVersionView) {
    const why = lastMoveWords(this._history);
    return html`
      ${statusTemplate(flag, { estimate: fleetEstimate(flag, this._series), windows: this._windows, error: this._actionError }, {
        action: (action) => void this.#confirm(action, flag),
        edit: () => this.#startEdit(flag),
      })}
      <h2>Why it last changed</h2>
      <p class="why" data-why>${why ?? 'No promotion or rollback yet.'}</p>
      ${this._editText === null
        ? nothing
        : editorTemplate(this._editText, this._editIssues, {
            input: (event) => this.#onEditInput(event),
            publish: () => void this.#confirm('edit', flag),
            cancel: () => ((this._editText = null), (this._editIssues = [])),
          })}
      <h2>Live charts</h2>
      <p class="legend meta">Solid: semantic runs; dotted: traditional runs; dashed red: the guardrail threshold.</p>
      ${seriesTemplate(this._series, flag.config.stages)}
      <h2>Guardrail windows</h2>
      ${windowsTemplate(this._windows)}
      <h2>Config history</h2>
      ${historyTemplate(this._history)}
      <h2>Webhook deliveries</h2>
      ${deliveriesTemplate(this._deliveries)}
    `;
  }

  async #onSignIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    await this.#signIn(input.value.trim());
  }

  async #signIn(token: string): Promise<void> {
    const api = new AdminApi(this.baseUrl, token, this.fetch);
    try {
      const { flags } = await api.flags();
      this.storage?.setItem(FLEET_TOKEN_KEY, token);
      this._signInError = null;
      this._flags = flags;
      this._api = api;
      this._selected = flags.some((f) => f.flag === this._selected) ? this._selected : (flags[0]?.flag ?? null);
      void this.#loadSelected();
      this.#follow(api);
    } catch (error) {
      this.storage?.removeItem(FLEET_TOKEN_KEY);
      this._signInError = error instanceof AdminApiError && (error.status === 401 || error.status === 403) ? 'This token is not an admin token of this server.' : `The server did not answer: ${(error as Error).message}`;
    }
  }

  #signOut = () => {
    this.storage?.removeItem(FLEET_TOKEN_KEY);
    this.#stream?.abort();
    this.#stream = null;
    this._api = null;
    this._live = 'offline';
  };

  #select(flag: string): void {
    this._selected = flag;
    this._editText = null;
    this._series = null;
    void this.#loadSelected();
  }

  /** Reads everything the selected flag's sections show. */
  async #loadSelected(): Promise<void> {
    const api = this._api;
    const flag = this._selected;
    if (api === null || flag === null) return;
    try {
      const [history, windows, deliveries, series] = await Promise.all([api.history(flag), api.windows(flag), api.deliveries(flag), api.series(flag)]);
      if (this._selected !== flag) return;
      this._history = history.versions;
      this._windows = windows.windows;
      this._deliveries = deliveries.deliveries;
      this._series = series;
    } catch (error) {
      this._actionError = `Could not read ${flag}: ${(error as Error).message}`;
    }
  }

  /** Reads the selected flag again soon: pushes come in bursts (a window, then the rollback it caused). */
  #scheduleRefresh(): void {
    if (this.#refresh !== null) return;
    this.#refresh = setTimeout(() => {
      this.#refresh = null;
      void this.#loadSelected();
    }, 300);
  }

  /** Follows the admin stream until signed out or disconnected; after a gap, reads everything again (pushes may have been missed). */
  #follow(api: AdminApi): void {
    this.#stream?.abort();
    this.#stream = new AbortController();
    followStream(() => api.stream(this.#stream!.signal), this.#stream.signal, {
      event: (event) => this.#onEvent(event),
      state: (live) => (this._live = live),
      unauthorized: () => this.#signOut(),
      gap: () => void this.#reloadAll(),
    });
  }

  async #reloadAll(): Promise<void> {
    if (this._api === null) return;
    try {
      this._flags = (await this._api.flags()).flags;
      await this.#loadSelected();
    } catch {
      // the stream's reconnection tries again
    }
  }

  #onEvent(event: StreamEvent): void {
    if (event.event === 'ready') {
      this._live = 'live';
      return;
    }
    const data = JSON.parse(event.data) as { flag: string; window?: WindowView } & Partial<FlagVersionView>;
    if (event.event === 'version') {
      const version = data as FlagVersionView;
      const known = this._flags.some((f) => f.flag === version.flag);
      this._flags = known ? this._flags.map((f) => (f.flag === version.flag ? version : f)) : [...this._flags, version];
      this._selected ??= version.flag;
      if (version.flag === this._selected) {
        // Shown from the push itself: the history's newest entry and the announcement need no second request.
        if (!this._history.some((v) => v.version === version.version)) this._history = [version, ...this._history];
        this._announcement = `${version.flag} version ${version.version}: ${madeWords(version)}. ${stateWords(version)}.${version.reason === null ? '' : ` Why: ${version.reason}`}`;
      }
    }
    if (event.event === 'window' && data.window !== undefined && data.flag === this._selected) this._windows = [data.window, ...this._windows.filter((w) => w.start !== data.window!.start || w.stage !== data.window!.stage)];
    if (data.flag === this._selected) this.#scheduleRefresh();
  }

  async #confirm(action: FleetAction | 'edit', flag: FlagVersionView): Promise<void> {
    this._actionError = null;
    this._pending = { action, title: ACTION_TITLES[action], words: impactWords(action, flag, fleetEstimate(flag, this._series)) };
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  async #onConfirm(event: SubmitEvent, flag: FlagVersionView, pending: Pending): Promise<void> {
    // Closed by hand rather than by method="dialog", so the page's strict form-action policy has nothing to judge.
    event.preventDefault();
    this.renderRoot.querySelector('dialog')?.close();
    const confirmed = (event.submitter as HTMLButtonElement | null)?.value === 'confirm';
    const reason = ((event.target as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement).value.trim();
    if (!confirmed || this._api === null) return;
    try {
      const edited = pending.action === 'edit' ? checkEdit(this._editText ?? '', flag.version + 1) : null;
      if (edited !== null && !edited.ok) return void (this._editIssues = edited.issues);
      const etag = flag.etag ?? '';
      const result =
        edited === null
          ? await this._api.act(flag.flag, pending.action as FleetAction, etag, reason)
          : await this._api.put(flag.flag, etag, { config: edited.config, settings: edited.settings, ...(reason === '' ? {} : { reason }) });
      if (edited !== null) this._editText = null;
      this._flags = this._flags.map((f) => (f.flag === result.flag ? result : f));
      this.dispatchEvent(new CustomEvent<SemfilterFleetChangeDetail>('semfilter-fleet-change', { detail: { flag: flag.flag, action: pending.action, version: result.version }, bubbles: true, composed: true }));
      void this.#loadSelected();
    } catch (error) {
      const issues = error instanceof AdminApiError ? error.issues : [];
      if (pending.action === 'edit' && issues.length > 0) this._editIssues = issues;
      this._actionError = error instanceof AdminApiError && error.status === 412 ? 'Someone changed this flag since you read it: the page has the latest version now; check it and redo the change.' : `${pending.title} failed: ${(error as Error).message}`;
      void this.#reloadAll();
    }
  }

  #startEdit(flag: FlagVersionView): void {
    this._editText = editableText(flag);
    this._editIssues = [];
  }

  #onEditInput(event: Event): void {
    const flag = this._flags.find((f) => f.flag === this._selected);
    this._editText = (event.target as HTMLTextAreaElement).value;
    const result = checkEdit(this._editText, (flag?.version ?? 0) + 1);
    this._editIssues = result.ok ? [] : result.issues;
  }
}
