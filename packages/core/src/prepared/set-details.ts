import type { TermOutcome } from '../filter/term-outcome.js';
import type { WardrobeDimension } from './wardrobe.js';

/** What scores and verdicts need of each tag set beyond its pass flag (see JudgedDimension). */
export interface SetDetails {
  /** Tag set → its best term's score (0 for set 0). */
  readonly setScores: Float64Array;
  /** Tag set → 1 when it holds a requested term itself (the rule score). */
  readonly setExact: Uint8Array;
  /** Tag set → the term id whose match (set passed) or reason (set rejected) it reports; -1 for set 0. */
  readonly setReported: Int32Array;
}

const computed = new WeakMap<object, SetDetails>();

/** The per-term judgement of one dimension that set details are drawn from (the first fields of JudgedDimension). */
export interface JudgedTerms {
  /** The requested terms. */
  readonly requested: readonly string[];
  /** Term id → how the term fares against the request (the match, or the reason it failed). */
  readonly outcomes: readonly TermOutcome[];
  /** Term id → 1 when the term passes. */
  readonly termPassed: Uint8Array;
}

/**
 * Each tag set's best term, as the per-item verdicts always chose it: a pass beats a rejection,
 * then the higher score, ties keep the earlier tag; a rejected set reports the first tag in
 * CONFLICT if any (a conflict explains a rejection better than the best tag's low score).
 */
export function setDetails(judged: JudgedTerms, dimension: WardrobeDimension): SetDetails {
  const remembered = computed.get(judged);
  if (remembered !== undefined) return remembered;
  const { outcomes, termPassed, requested } = judged;
  const { terms, setOffsets, setTerms } = dimension;
  const termScores = Float64Array.from(outcomes, (outcome) => outcome.score);
  const termExact = Uint8Array.from(terms, (term) => (requested.includes(term) ? 1 : 0));
  const termConflict = Uint8Array.from(outcomes, (outcome) => (!outcome.passed && outcome.reason.code === 'CONFLICT' ? 1 : 0));
  const sets = setOffsets.length - 1;
  const setScores = new Float64Array(sets);
  const setExact = new Uint8Array(sets);
  const setReported = new Int32Array(sets).fill(-1);
  for (let set = 1; set < sets; set++) {
    const start = setOffsets[set]!;
    const end = setOffsets[set + 1]!;
    let best = setTerms[start]!;
    let exact = 0;
    let conflict = -1;
    for (let k = start; k < end; k++) {
      const term = setTerms[k]!;
      if (termPassed[term]! > termPassed[best]! || (termPassed[term] === termPassed[best] && termScores[term]! > termScores[best]!)) best = term;
      exact |= termExact[term]!;
      if (conflict < 0 && termConflict[term] === 1) conflict = term;
    }
    setScores[set] = termScores[best]!;
    setExact[set] = exact;
    setReported[set] = termPassed[best] === 1 || conflict < 0 ? best : conflict;
  }
  const details = { setScores, setExact, setReported };
  computed.set(judged, details);
  return details;
}
