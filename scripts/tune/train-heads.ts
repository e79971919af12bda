// Trains the pair heads (packages/core/src/semantic/pair-heads.generated.ts) on the real model.
// The placed head learns from:
// - pairs the concept map implies, each curated anchor taken out of the vocabulary in turn (five
//   folds), so it learns how far a placement of an unseen term can be trusted;
// - the TUNING half of test/fixtures/open-vocabulary.jsonl (termHalf). The held-out half is
//   filtered out before anything else and never read here.
// Hyper-parameters (placement temperature, L2, how much the open pairs weigh) are chosen by 2-fold
// cross-validation over the tuning half's terms; the out-of-fold scores then fix the Platt scaling
// and the default threshold. The seen head (two anchors) is fitted after it: see seenHead.
// Deterministic: a second run writes the same file.
// Run: npx tsx --conditions=@semfilter/source scripts/tune/train-heads.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import {
  calibration, CONCEPT_MAPS, ConceptIndex, DIMENSIONS, PAIR_FEATURES, PAIR_HEADS, STANCE, embeddingText, normalizeTerm, pairFeatures, phraseHead, readPair, termHalf,
  type ConceptMap, type Dimension, type PairHead, type Vector,
} from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { fitLogistic, logit, sigmoid, type Fit, type Row } from './logistic.js';

interface Pair { dimension: Dimension; requested: string; item: string; compatible: boolean }
const read = (file: string): Pair[] => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Pair)
  .map((p) => ({ ...p, requested: normalizeTerm(p.requested).value, item: normalizeTerm(p.item).value }));
const tuning = read('test/fixtures/open-vocabulary.jsonl').filter((pair) => termHalf(pair) === 'tuning');
const embedder = createNodeEmbedder();
const write = process.argv.includes('--write');

const WEAK = { minStrength: 0.3, margin: 0.01 };
const headWith = (temperature: number): PairHead => ({ ...PAIR_HEADS.style, temperature, weak: WEAK });
const vocabularySet = read('test/fixtures/compatibility-dev.jsonl').map((pair, line) => ({ ...pair, line }));

async function vectorsFor(dimension: Dimension, terms: Iterable<string>): Promise<(term: string) => Vector | undefined> {
  const all = new Set<string>();
  for (const term of terms) {
    all.add(term);
    const head = phraseHead(term);
    if (head !== null) all.add(head);
  }
  const list = [...all];
  const vectors = await embedder.embed(list.map((term) => embeddingText(dimension, term)));
  const byTerm = new Map(list.map((term, i) => [term, vectors[i]!]));
  return (term) => byTerm.get(term);
}

interface Sample { x: Float64Array; y: 0 | 1; group: 'implied' | 'open'; fold: number }

function features(index: ConceptIndex, lookup: (t: string) => Vector | undefined, requested: string, item: string): Float64Array {
  return pairFeatures(index, readPair(index, requested, lookup(requested)!, item, lookup(item)!, lookup));
}

function samples(dimension: Dimension, map: ConceptMap, lookup: (t: string) => Vector | undefined, temperature: number, open: readonly Pair[]): Sample[] {
  const out: Sample[] = [];
  const full = new ConceptIndex(dimension, map, lookup, headWith(temperature));
  // Each concept requested by its first anchor (its name where the name is an anchor).
  const requests = map.concepts.map((c) => ({ term: c.anchors[0]!, concept: c.id }));
  const accepts = (r: string, a: string) => full.stance(full.conceptIds.indexOf(r), full.conceptIds.indexOf(a)) === STANCE.ACCEPTS;
  const clashes = (r: string, a: string) => full.stance(full.conceptIds.indexOf(r), full.conceptIds.indexOf(a)) === STANCE.CLASHES;
  const anchors = map.concepts.flatMap((c) => c.anchors.slice(1).map((anchor) => ({ anchor, concept: c.id })));
  for (let fold = 0; fold < 5; fold++) {
    const out5 = new Set(anchors.filter((_, i) => i % 5 === fold).map((a) => a.anchor));
    const without: ConceptMap = { ...map, concepts: map.concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a, i) => i === 0 || !out5.has(a)) })) };
    const index = new ConceptIndex(dimension, without, lookup, headWith(temperature));
    for (const { anchor, concept } of anchors) {
      if (!out5.has(anchor) || requests.some((r) => r.term === anchor)) continue;
      for (const r of requests) out.push({ x: features(index, lookup, r.term, anchor), y: accepts(r.concept, concept) ? 1 : 0, group: 'implied', fold: -1 });
    }
  }
  for (const pair of open) {
    const fold = fnv(pair.item) % 2;
    out.push({ x: features(full, lookup, pair.requested, pair.item), y: pair.compatible ? 1 : 0, group: 'open', fold });
  }
  return out;
}

/**
 * The seen head. `typical`: a logistic classifier over the cheap features only (the placed head's
 * data read without the pass over every anchor: SEEN_FEATURES), applied to the item read as if
 * unseen. `offsets`: per relation of two anchors' concepts, the shift of that log-odds that best
 * fits the labelled anchor pairs of the vocabulary set's even lines (its odd lines stay for eval),
 * under a normal prior (sd 1: a few dozen pairs of one relation, all compatible, do not push it to
 * certainty), found by bisection on the log-posterior's slope.
 */
const SEEN_FEATURES = ['cosine', 'accepts', 'same concept', 'clashes', 'item closeness', 'item margin', 'closeness to the requested concept', 'axis agreement', 'axis opposition'] as const;
function seenHead(dimension: Dimension, map: ConceptMap, lookup: (t: string) => Vector | undefined, head: PairHead, data: readonly Sample[], openWeight: number, l2: number, vocabulary: readonly (Pair & { line: number })[]): PairHead['seen'] {
  const columns = SEEN_FEATURES.map((name) => PAIR_FEATURES.indexOf(name));
  const narrow = fitLogistic(rows(data, openWeight).map((r) => ({ ...r, x: Float64Array.from(columns, (i) => r.x[i]!) })), l2);
  const typical = { weights: PAIR_FEATURES.map((_, i) => (columns.includes(i) ? round(narrow.weights[columns.indexOf(i)]!) : 0)), bias: round(narrow.bias) };
  const index = new ConceptIndex(dimension, map, lookup, head);
  const byRelation = { same: [] as [number, number][], compatible: [] as [number, number][], unrelated: [] as [number, number][] };
  for (const pair of vocabulary) {
    if (pair.line % 2 === 1 || pair.requested === pair.item || !index.isAnchor(pair.requested) || !index.isAnchor(pair.item)) continue;
    const r = lookup(pair.requested)!, v = lookup(pair.item)!;
    const { relation } = index.relationOf(index.placement(pair.requested, r), index.placement(pair.item, v));
    if (relation === 'opposed') continue;
    byRelation[relation].push([logit(typical, pairFeatures(index, readPair(index, pair.requested, r, pair.item, v, lookup, true), true)), pair.compatible ? 1 : 0]);
  }
  const offset = (labelled: [number, number][]) => {
    let low = -6, high = 6;
    for (let k = 0; k < 60; k++) {
      const mid = (low + high) / 2;
      const slope = labelled.reduce((sum, [z, y]) => sum + y - sigmoid(z + mid), 0) - mid;
      if (slope > 0) low = mid; else high = mid;
    }
    return round((low + high) / 2);
  };
  const offsets = { same: offset(byRelation.same), compatible: offset(byRelation.compatible), unrelated: offset(byRelation.unrelated) };
  console.log(`  ${dimension} seen offsets from ${byRelation.same.length} / ${byRelation.compatible.length} / ${byRelation.unrelated.length} anchor pairs: ${JSON.stringify(offsets)}`);
  return { typical, offsets };
}

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return (hash >>> 3);
}

/** Training rows: each group (and, within the concept-map groups, each label) weighs a set share, whatever its size. */
function rows(data: readonly Sample[], openWeight: number): Row[] {
  const key = (s: Sample) => (s.group === 'open' ? 'open' : `${s.group}:${s.y}`);
  const counts = new Map<string, number>();
  for (const s of data) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  const share: Record<string, number> = { 'implied:0': 0.5, 'implied:1': 0.5, open: openWeight };
  return data.map((s) => ({ x: s.x, y: s.y, weight: (1000 * share[key(s)]!) / counts.get(key(s))! }));
}

function logLoss(scores: readonly number[], labels: readonly number[]): number {
  return -scores.reduce((sum, p, i) => sum + (labels[i] ? Math.log(Math.max(p, 1e-6)) : Math.log(Math.max(1 - p, 1e-6))), 0) / scores.length;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ece = (scores: readonly number[], labels: readonly number[]) => calibration(scores, labels.map((y) => y === 1)).ece;
const heads: Partial<Record<Dimension, PairHead>> = {};

for (const dimension of DIMENSIONS) {
  const map = CONCEPT_MAPS[dimension];
  const open = tuning.filter((p) => p.dimension === dimension);
  if (open.length === 0) throw new Error(`no tuning pairs for ${dimension}`);
  const vocabulary = vocabularySet.filter((p) => p.dimension === dimension);
  const lookup = await vectorsFor(dimension, [...map.concepts.flatMap((c) => c.anchors), ...open.flatMap((p) => [p.requested, p.item]), ...vocabulary.flatMap((p) => [p.requested, p.item])]);
  let best: { loss: number; temperature: number; l2: number; openWeight: number; oof: number[]; labels: number[]; data: Sample[] } | undefined;
  for (const temperature of [0.01, 0.02, 0.04]) {
    const data = samples(dimension, map, lookup, temperature, open);
    for (const l2 of [0.1, 1, 10]) for (const openWeight of [0.5, 1, 2, 4, 8, 16]) {
      const oof: number[] = [];
      const labels: number[] = [];
      for (const fold of [0, 1]) {
        const fit = fitLogistic(rows(data.filter((s) => s.fold !== fold), openWeight), l2);
        for (const s of data) if (s.fold === fold) { oof.push(sigmoid(logit(fit, s.x))); labels.push(s.y); }
      }
      const loss = logLoss(oof, labels);
      if (best === undefined || loss < best.loss) best = { loss, temperature, l2, openWeight, oof, labels, data };
    }
  }
  const { temperature, l2, openWeight, data, labels } = best!;
  // Platt scaling on the out-of-fold logits of the tuning half.
  const oofLogits = best!.oof.map((p) => Math.log(p / (1 - p)));
  const platt = fitLogistic(oofLogits.map((z, i) => ({ x: Float64Array.of(z), y: labels[i] as 0 | 1, weight: 1 })), 0);
  const calibrated = oofLogits.map((z) => sigmoid(platt.weights[0]! * z + platt.bias));
  const fit: Fit = fitLogistic(rows(data, openWeight), l2);
  const a = platt.weights[0]!;
  const head: PairHead = {
    temperature,
    placed: { weights: fit.weights.map((w) => round(a * w)), bias: round(a * fit.bias + platt.bias) },
    seen: { typical: { weights: PAIR_FEATURES.map(() => 0), bias: 0 }, offsets: { same: 0, compatible: 0, unrelated: 0 } },
    weak: WEAK,
    weakCeiling: 0.85,
    uncertain: [0.35, 0.65],
    vetoBelow: 0.1,
    threshold: bestThreshold(calibrated, labels),
  };
  heads[dimension] = { ...head, seen: seenHead(dimension, map, lookup, head, data, openWeight, l2, vocabulary) };
  const errors = (t: number) => {
    let fr = 0, fa = 0, pos = 0;
    calibrated.forEach((p, i) => { if (labels[i]) { pos++; if (p < t) fr++; } else if (p >= t) fa++; });
    return `FRR ${pct(fr / pos)} FAR ${pct(fa / (labels.length - pos))}`;
  };
  console.log(`${dimension}: ${open.length} tuning pairs; temperature ${temperature}, l2 ${l2}, open weight ${openWeight}; out-of-fold log loss ${best!.loss.toFixed(3)}, ECE ${ece(calibrated, labels).toFixed(3)} after Platt (${ece(best!.oof, labels).toFixed(3)} before); at 0.5 ${errors(0.5)}; threshold ${head.threshold} ${errors(head.threshold)}`);
}

function bestThreshold(scores: readonly number[], labels: readonly number[]): number {
  let best = 0.5, cost = Infinity;
  for (let t = 0.3; t <= 0.71; t += 0.05) {
    let fr = 0, fa = 0, pos = 0;
    scores.forEach((p, i) => { if (labels[i]) { pos++; if (p < t) fr++; } else if (p >= t) fa++; });
    const c = Math.max(fr / pos, fa / (labels.length - pos)) + (fr / pos + fa / (labels.length - pos)) / 10;
    if (c < cost - 1e-9) { cost = c; best = round(t); }
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

if (write) {
  const out = new URL('../../packages/core/src/semantic/pair-heads.generated.ts', import.meta.url);
  writeFileSync(out, `// Generated by scripts/tune/train-heads.ts from the real model and the tuning half of the open-vocabulary set; do not edit.
import type { Dimension } from '../input/dimensions.js';
import type { PairHead } from './pair-head.js';

/** The shipped pair heads, one per dimension. */
export const PAIR_HEADS: Readonly<Record<Dimension, PairHead>> = ${JSON.stringify(heads, null, 2)};
`);
  console.log(`wrote ${out.pathname}`);
}
