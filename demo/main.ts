import '@semfilter/elements/semfilter-debugger.js';
import { parseJsonText, parseWardrobe, type InputIssue } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';
import { readFleetTarget } from './fleet-mode.js';
import { modelServed, showModelMissing } from './model-check.js';
import { PRESETS, type RequestPreset } from './presets.js';
import { startRolloutDemo } from './rollout-demo.js';
import { syncWithUrl } from './url-sync.js';
import sampleWardrobe from './sample-wardrobe.json';

/** Larger uploads are refused before reading: the browser would hold the text and the items twice. */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Issues listed on the page; the rest are counted. */
const SHOWN_ISSUES = 12;
const SAMPLE = 'the sample wardrobe';

const debuggerElement = document.querySelector('semfilter-debugger')!;
// One filter (one worker, one model load) for the debugger and the rollout's traffic alike.
const semanticFilter = createSemanticFilter();
debuggerElement.filter = semanticFilter;
const status = document.querySelector<HTMLElement>('#wardrobe-status')!;
const errorBox = document.querySelector<HTMLElement>('#wardrobe-error')!;
const urlWarnings = document.querySelector<HTMLElement>('#url-warnings')!;
const presetButtons = PRESETS.map(presetButton);
document.querySelector('#presets')!.append(...presetButtons);

/** Shows a wardrobe if it is valid; otherwise says what is wrong and where, and keeps the one shown. */
function loadWardrobe(value: unknown, source: string): void {
  const parsed = parseWardrobe(value);
  if (!parsed.ok) return showIssues(source, parsed.issues);
  errorBox.hidden = true;
  debuggerElement.items = parsed.value;
  const count = parsed.value.length;
  status.textContent = `Showing ${source}: ${count} ${count === 1 ? 'item' : 'items'}.`;
}

function loadWardrobeText(text: string, source: string): void {
  const json = parseJsonText(text);
  if (json.ok) loadWardrobe(json.value, source);
  else showIssues(source, json.issues);
}

function showIssues(source: string, issues: readonly InputIssue[]): void {
  const heading = document.createElement('p');
  heading.textContent = `${source} was not loaded; the wardrobe shown is unchanged.`;
  const list = document.createElement('ul');
  for (const issue of issues.slice(0, SHOWN_ISSUES)) {
    const entry = document.createElement('li');
    entry.textContent = `${source}: ${issue.path}: ${issue.message}`; // as text: the file's content never becomes markup
    list.append(entry);
  }
  if (issues.length > SHOWN_ISSUES) list.append(Object.assign(document.createElement('li'), { textContent: `… and ${issues.length - SHOWN_ISSUES} more problems` }));
  errorBox.replaceChildren(heading, list);
  errorBox.hidden = false;
}

function presetButton(preset: RequestPreset): HTMLButtonElement {
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: preset.label });
  button.addEventListener('click', () => urlSync.choosePreset(preset));
  return button;
}

function showPreset(preset: RequestPreset | undefined): void {
  presetButtons.forEach((button, i) => button.setAttribute('aria-pressed', String(PRESETS[i] === preset)));
}

document.querySelector('#use-sample')!.addEventListener('click', () => loadWardrobe(sampleWardrobe, SAMPLE));

document.querySelector<HTMLInputElement>('#upload')!.addEventListener('change', async (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = ''; // so choosing the same file again reloads it
  if (file === undefined) return;
  if (file.size > MAX_UPLOAD_BYTES) return showIssues(file.name, [{ path: 'file', message: `${file.size} bytes is more than the ${MAX_UPLOAD_BYTES}-byte limit` }]);
  try {
    loadWardrobeText(await file.text(), file.name);
  } catch (error) {
    showIssues(file.name, [{ path: 'file', message: `cannot read the file (${(error as Error).message})` }]);
  }
});

document.querySelector('#load-paste')!.addEventListener('click', () => {
  loadWardrobeText(document.querySelector<HTMLTextAreaElement>('#paste')!.value, 'the pasted wardrobe');
});

/** Lists on the page the address's values that were ignored, and why: a warning in the console alone went unseen. As text, never markup. */
function showUrlWarnings(warnings: readonly string[]): void {
  const all = [...warnings, ...fleet.warnings];
  const heading = Object.assign(document.createElement('strong'), { textContent: 'Ignored in this address: ' });
  const list = document.createElement('ul');
  list.append(...all.map((warning) => Object.assign(document.createElement('li'), { textContent: warning })));
  urlWarnings.replaceChildren(heading, 'the page shows its defaults for these values.', list);
  urlWarnings.hidden = all.length === 0;
}

// Fleet mode when the address names a fleet server and a client key (`npm run serve` prints it); never logs the key.
const fleet = readFleetTarget(location.search);
for (const warning of fleet.warnings) console.warn(`semfilter playground: ignored in the URL: ${warning}`);

// The request, thresholds, view, mode and preset come from the URL (the first preset if it names none), and go back into it.
const urlSync = syncWithUrl({ element: debuggerElement, presets: PRESETS, showPreset, showWarnings: showUrlWarnings });
loadWardrobe(sampleWardrobe, SAMPLE);

startRolloutDemo({
  filter: semanticFilter,
  fleet: fleet.target,
  current: () => ({ items: debuggerElement.items, request: debuggerElement.request }),
  onSemantic: (semantic) => (debuggerElement.semantic = semantic),
});

// Without the model the page still works; say so, and name the command that brings it.
void modelServed().then((served) => served === false && showModelMissing(document.querySelector<HTMLElement>('#model-missing')!));
