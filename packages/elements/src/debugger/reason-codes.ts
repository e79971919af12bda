import { REASON_CODES, type PreparedRun } from '@semfilter/core';

/**
 * Reason codes by bit: core's codes first, then any other code a run emits, added as it is met
 * (codes are stable strings, so a bit keeps its code for the page's lifetime).
 */
export const REASON_CODE_ORDER: string[] = Object.keys(REASON_CODES);

/** A verdict reports one reason per rejecting dimension; a passed dimension (or set) reports none. */
const NO_CODE = 0;
const MAX_CODES = 32; // one Uint32 per item

function codeBit(code: string): number {
  let bit = REASON_CODE_ORDER.indexOf(code);
  if (bit < 0 && REASON_CODE_ORDER.length < MAX_CODES) bit = REASON_CODE_ORDER.push(code) - 1;
  return bit < 0 ? NO_CODE : 1 << bit;
}

/** Per run: each item's code bits, and the bits any item carries. */
const masks = new WeakMap<PreparedRun, { readonly items: Uint32Array; readonly present: number }>();

/**
 * Per item, the reason codes its verdict in this run carries, as bits of REASON_CODE_ORDER. Read
 * as itemVerdict reads them, without building verdicts: each tag set reports one term (setReported),
 * whose outcome is a match or a reason; the empty set is ATTR_MISSING. One code per set, then one
 * lookup per item and dimension.
 */
export function reasonCodeMasks(run: PreparedRun): Uint32Array {
  return runMasks(run).items;
}

function runMasks(run: PreparedRun): { readonly items: Uint32Array; readonly present: number } {
  const known = masks.get(run);
  if (known !== undefined) return known;
  const itemMasks = new Uint32Array(run.passed.length);
  const missing = codeBit(REASON_CODES.ATTR_MISSING);
  for (const { dimension, outcomes, setReported } of run.judged) {
    const setCodes = Uint32Array.from(setReported, (term) => {
      if (term < 0) return missing;
      const outcome = outcomes[term]!;
      return outcome.passed ? NO_CODE : codeBit(outcome.reason.code);
    });
    const { itemSets } = run.prepared.wardrobe.dimensions[dimension];
    for (let i = 0; i < itemMasks.length; i++) itemMasks[i]! |= setCodes[itemSets[i]!]!;
  }
  let present = 0;
  for (let i = 0; i < itemMasks.length; i++) present |= itemMasks[i]!;
  const computed = { items: itemMasks, present };
  masks.set(run, computed);
  return computed;
}

/** One reason code and how many of the given rows carry it in either mode. */
export interface ReasonCodeCount {
  readonly code: string;
  readonly count: number;
}

/**
 * The reason codes either run's verdicts carry on any item, each with how many of `rows` carry it
 * (in the traditional or the semantic verdict), in REASON_CODE_ORDER.
 */
export function reasonCodeCounts(traditional: PreparedRun, semantic: PreparedRun, rows: ArrayLike<number>): ReasonCodeCount[] {
  const { items: a, present: inTraditional } = runMasks(traditional);
  const { items: b, present: inSemantic } = runMasks(semantic);
  const present = inTraditional | inSemantic; // per run, once: not per search keystroke
  const counts = new Array<number>(REASON_CODE_ORDER.length).fill(0);
  for (let k = 0; k < rows.length; k++) {
    const mask = a[rows[k]!]! | b[rows[k]!]!;
    for (let bit = 0; mask >>> bit !== 0; bit++) if ((mask >>> bit) & 1) counts[bit]!++;
  }
  return REASON_CODE_ORDER.flatMap((code, bit) => ((present >>> bit) & 1 ? [{ code, count: counts[bit]! }] : []));
}
