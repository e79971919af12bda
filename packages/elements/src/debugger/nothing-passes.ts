import { itemScore, type Dimension, type PreparedRun } from '@semfilter/core';
import { html, nothing, type TemplateResult } from 'lit';
import { countOf } from './counts.js';
import type { ShownItem } from './shown.js';

/** Items named as the closest to passing. */
const CLOSEST = 3;

/** One requested dimension, and how many items it passes on its own. */
interface DimensionPasses {
  readonly dimension: Dimension;
  readonly requested: readonly string[];
  readonly passing: number;
  /** Item index → its best score on this dimension (0 without a tag). */
  readonly scores: Float64Array;
}

function dimensionPasses(run: PreparedRun): DimensionPasses[] {
  const { wardrobe } = run.prepared;
  return run.judged.map(({ dimension, requested, setPassed, setScores }) => {
    const { itemSets } = wardrobe.dimensions[dimension];
    const scores = new Float64Array(itemSets.length);
    let passing = 0;
    for (let i = 0; i < itemSets.length; i++) {
      passing += setPassed[itemSets[i]!]!;
      scores[i] = setScores[itemSets[i]!]!;
    }
    return { dimension, requested, passing, scores };
  });
}

/** The `count` items with the highest scores, best first (ties in input order). */
function closest(scores: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, count);
}

/**
 * Why a run passes no item: the requested dimensions that match none on their own, or, when each
 * passes some, the one that passes fewest (the others reject those); and the items closest to
 * passing, by their score on the dimension that matches nothing or else their score overall
 * (left out when none scores above 0: nothing is close).
 */
export function nothingPassesWords(run: PreparedRun, items: readonly ShownItem[]): string {
  let found = explained.get(run);
  if (found === undefined) explained.set(run, (found = explain(run, items)));
  return found;
}

/** nothingPassesWords per run: a download's progress events render the panel again. */
const explained = new WeakMap<PreparedRun, string>();

function explain(run: PreparedRun, items: readonly ShownItem[]): string {
  const dimensions = dimensionPasses(run);
  const terms = (d: DimensionPasses) => `${d.dimension} ${d.requested.map((t) => `'${t}'`).join(', ')}`;
  const empty = dimensions.filter((d) => d.passing === 0);
  const narrowest = [...dimensions].sort((a, b) => a.passing - b.passing)[0];
  if (narrowest === undefined) return 'No item passes.';
  const others = dimensions.filter((d) => d !== narrowest).map((d) => `${d.dimension} ${countOf(d.passing, 'item', 'items')}`);
  const cause = empty.length > 0
    ? `${empty.map(terms).join(' and ')} ${empty.length === 1 ? 'matches' : 'match'} no item`
    : `${terms(narrowest)} passes only ${countOf(narrowest.passing, 'item', 'items')}, and the other dimensions reject ${narrowest.passing === 1 ? 'it' : 'them'} (${others.join(', ')} pass)`;
  // On the dimension that matches nothing, its scores; otherwise the items' scores over every dimension.
  const scores = empty.length > 0 ? empty[0]!.scores : Float64Array.from(items, (_, i) => itemScore(run, i));
  const named = closest(scores, CLOSEST).filter((i) => scores[i]! > 0).map((i) => `${items[i]!.name ?? items[i]!.id} (${scores[i]!.toFixed(2)})`);
  const on = empty.length > 0 ? `on ${empty[0]!.dimension}` : 'overall';
  return `No item passes: ${cause}.${named.length === 0 ? '' : ` The closest ${on}: ${named.join(', ')}.`}`;
}

/** What the line shows, and what its button calls. */
export interface NothingPassesState {
  /** The active mode's run: the one whose "passing" view is empty. */
  readonly run: PreparedRun;
  readonly items: readonly ShownItem[];
  /** Whether the rows show every item already (the button is then not needed). */
  readonly showingAll: boolean;
  readonly onShowAll: () => void;
}

/** The line under "What semantic mode changes" when the active mode passes no item, with a button that shows every item and its reasons. */
export function nothingPassesTemplate({ run, items, showingAll, onShowAll }: NothingPassesState): TemplateResult | typeof nothing {
  if (run.passCount > 0 || items.length === 0) return nothing;
  return html`<p class="nothing-passes" data-nothing-passes>${nothingPassesWords(run, items)}
    ${showingAll ? nothing : html`<button type="button" @click=${onShowAll}>Show all items with their reasons</button>`}</p>`;
}
