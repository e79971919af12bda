/**
 * The pre-prepared implementation of filterItems (engine.ts, decide.ts and report.ts as of commit
 * 1b73644), kept verbatim as an oracle: the prepared wardrobe must give the same reports. Only the
 * per-item loop, the term collection and the summary are copied; the per-term comparisons
 * (exactOutcome, semanticOutcome, prepareSemantic) are the package's own, shared by both paths.
 * Do not "fix" this file: it is what the reports were.
 */
import {
  createTagNormalizer,
  dimensionModes,
  DIMENSIONS,
  exactOutcome,
  normalizeRequest,
  prepareSemantic,
  resolveOptions,
  semanticOutcome,
  outcomeBasis,
  type Dimension,
  type FallbackReason,
  type FilterDependencies,
  type FilterOptions,
  type FilterOptionsInput,
  type FilterReport,
  type FilterRequest,
  type Item,
  type ItemVerdict,
  type Match,
  type NormalizedRequest,
  type Reason,
  type SemanticContext,
  type TermOutcome,
  type TermsByDimension,
} from '@semfilter/core';

/** filterItems as it was before the prepared wardrobe. */
export async function referenceFilter(items: readonly Item[], request: FilterRequest, optionsInput?: FilterOptionsInput, deps: FilterDependencies = {}): Promise<FilterReport> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const options = resolveOptions(optionsInput);
  const normalized = normalizeRequest(request);
  let semantic: SemanticContext | null = null;
  let fallback: FallbackReason | null = options.semantic ? null : 'DISABLED';
  let embedMs: number | undefined;
  if (options.semantic) {
    const embedStarted = now();
    const prepared = await prepareSemantic(collectTerms(items, normalized, options), deps, normalized);
    embedMs = now() - embedStarted;
    fallback = prepared.fallback;
    if ('context' in prepared) semantic = prepared.context;
  }
  const { verdicts, uncertain } = decideItems(items, normalized, options, semantic);
  const modes = dimensionModes(normalized, options, semantic);
  const summary = summarize(verdicts);
  return {
    semantic_mode_active: Object.values(modes).includes('semantic'),
    fallback_reason: fallback,
    filter_pass_rate: summary.filter_pass_rate,
    rejection_reasons: summary.rejection_reasons,
    rejection_counts: summary.rejection_counts,
    uncertain_counts: uncertain,
    items: summary.items,
    dimension_modes: modes,
    model: semantic?.model ?? null,
    timings_ms: { total: roundMs(now() - started), ...(embedMs === undefined ? {} : { embed: roundMs(embedMs) }) },
  };
}

function collectTerms(items: readonly Item[], request: NormalizedRequest, options: FilterOptions): TermsByDimension {
  const out: Partial<Record<Dimension, Set<string>>> = {};
  const tagsOf = createTagNormalizer();
  for (const dimension of DIMENSIONS.filter((d) => request[d] !== undefined && options.dimensions[d].mode === 'semantic')) {
    const terms = new Set(request[dimension]);
    for (const item of items) for (const term of tagsOf(item[dimension])) terms.add(term);
    out[dimension] = terms;
  }
  return out;
}

/** Whether an outcome rests on an unsure pair. */
function unsure(outcome: TermOutcome): boolean {
  return outcomeBasis(outcome) === 'UNCERTAIN';
}

function decideItems(items: readonly Item[], request: NormalizedRequest, options: FilterOptions, semantic: SemanticContext | null): { verdicts: ItemVerdict[]; uncertain: Partial<Record<Dimension, number>> } {
  const modes = dimensionModes(request, options, semantic);
  // Per semantic dimension, items whose verdict rests on an unsure pair: passed on unsure tags only, or failed with one among its tags.
  const uncertain: Partial<Record<Dimension, number>> = Object.fromEntries((Object.keys(modes) as Dimension[]).filter((d) => modes[d] === 'semantic').map((d) => [d, 0]));
  const tagsOf = createTagNormalizer();
  const requested = Object.keys(modes) as Dimension[];
  const tables = new Map(requested.map((dimension) => [dimension, new Map<string, TermOutcome>()]));
  const outcomeOf = (dimension: Dimension, term: string): TermOutcome => {
    const table = tables.get(dimension)!;
    let outcome = table.get(term);
    if (outcome === undefined) {
      const terms = request[dimension]!;
      outcome =
        modes[dimension] === 'semantic' && semantic!.vectors[dimension]!(term) !== undefined
          ? semanticOutcome(dimension, terms, term, options.dimensions[dimension], semantic!.vectors[dimension]!, semantic!.concepts[dimension]!)
          : exactOutcome(dimension, terms, term);
      table.set(term, outcome);
    }
    return outcome;
  };

  const verdicts = items.map((item) => {
    const reasons: Reason[] = [];
    const matches: Match[] = [];
    let ruleScore = 0;
    let semanticScore = 0;
    for (const dimension of requested) {
      const itemTerms = tagsOf(item[dimension]);
      if (itemTerms.length === 0) {
        reasons.push({ dimension, code: 'ATTR_MISSING', requested: request[dimension]!.join(', '), actual: null, mode: modes[dimension]! });
        continue;
      }
      const outcomes = itemTerms.map((term) => outcomeOf(dimension, term));
      const passing = outcomes.filter((o) => o.passed);
      if (uncertain[dimension] !== undefined && (passing.length > 0 ? passing.every(unsure) : outcomes.some(unsure))) uncertain[dimension]!++;
      const best = outcomes.reduce((a, b) => (b.passed && !a.passed) || (b.passed === a.passed && b.score > a.score) ? b : a);
      if (best.passed) matches.push(best.match);
      else reasons.push(outcomes.find((o): o is TermOutcome & { passed: false } => !o.passed && o.reason.code === 'CONFLICT')?.reason ?? best.reason);
      if (itemTerms.some((term) => request[dimension]!.includes(term))) ruleScore++;
      semanticScore += best.score;
    }
    const count = Math.max(requested.length, 1);
    const rule = requested.length === 0 ? 1 : ruleScore / count;
    const score = semantic === null ? rule : options.semanticWeight * (semanticScore / count) + (1 - options.semanticWeight) * rule;
    return { id: item.id, passed: reasons.length === 0, score: Math.round(score * 10_000) / 10_000, reasons, matches };
  });
  return { verdicts, uncertain };
}

function summarize(verdicts: readonly ItemVerdict[]): Pick<FilterReport, 'filter_pass_rate' | 'rejection_reasons' | 'rejection_counts' | 'items'> {
  const counts: Partial<Record<Dimension, number>> = {};
  let passed = 0;
  for (const verdict of verdicts) {
    if (verdict.passed) passed++;
    for (const reason of verdict.reasons) counts[reason.dimension] = (counts[reason.dimension] ?? 0) + 1;
  }
  const ranked = verdicts.filter((v) => v.passed).sort((a, b) => b.score - a.score);
  return {
    filter_pass_rate: verdicts.length === 0 ? 0 : passed / verdicts.length,
    rejection_reasons: DIMENSIONS.filter((dimension) => counts[dimension] !== undefined),
    rejection_counts: counts,
    items: [...ranked, ...verdicts.filter((v) => !v.passed)],
  };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
