import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The longest user id or group name decide() buckets; longer ones are more likely junk than ids. */
export const MAX_USER_ID_LENGTH = 256;

// C0 controls, DEL and C1 controls: never part of a real id, often a sign of log or header injection.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The form a user id or group name takes in a served config: lowercase hex SHA-256 of UTF-8
 * `seed + "\n" + value`. Every client fetches the config, so it must never carry the ids themselves;
 * the seed keeps one flag's hashes from matching another's lists.
 */
export function hashListEntry(seed: string, value: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${seed}\n${value}`)));
}

/** True for a string of 1–256 characters with no control characters: the strings decide() buckets (see userIdOf for numbers). */
export function usableUserId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 1 && id.length <= MAX_USER_ID_LENGTH && !CONTROL.test(id);
}

/**
 * The id decide() buckets and looks up in the lists, or null (NO_USER_ID). Takes ids as GrowthBook
 * does where that is an id: a usable string as it is, a number as `String(id)` ("42", "1.5",
 * "1e+21"). Null, undefined and the empty string are skipped by GrowthBook too, and so are the
 * number 0 and NaN (GrowthBook skips falsy values: the number 0 is never bucketed there, the string
 * "0" is). Refused on purpose although GrowthBook buckets them: Infinity and -Infinity, booleans,
 * bigints, objects and arrays (not ids; all `true` users would share a bucket), and strings over
 * 256 characters or with control characters.
 */
export function userIdOf(id: unknown): string | null {
  if (typeof id === 'number') return Number.isFinite(id) && id !== 0 ? String(id) : null;
  return usableUserId(id) ? id : null;
}
