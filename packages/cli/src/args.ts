import { parseArgs, type ParseArgsConfig } from 'node:util';
import { badInput } from './errors.js';
import { usageOf } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs with strict checking, turning its errors into exit-2 messages that name the command,
 * guess the option a typo meant, and end with the command's usage.
 */
export function parseCommandArgs<T extends Options>(command: string, args: readonly string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw badInput(`semfilter ${command}: ${describeArgError(error as Error & { code?: string }, Object.keys(options))}\n${usageOf(command)}`);
  }
}

/** Node's message, or for an unknown option our own shorter one with the nearest known option. */
function describeArgError(error: Error & { code?: string }, known: readonly string[]): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '(-{1,2})([^'=]+)/.exec(error.message) : null;
  if (unknown === null) return error.message;
  const name = unknown[2]!;
  const guess = closest(name, known);
  return `unknown option ${unknown[1]!}${name}${guess === undefined ? '' : `; did you mean --${guess}?`}`;
}

/** The candidate within two edits of `word` (and nearer than half its length), the nearest first; undefined when none is. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= 2 && distance < word.length / 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Optimal string alignment distance: a swapped pair of letters (`itmes`) counts as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
