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

/** True for a string of 1–256 characters with no control characters: what decide() will bucket. */
export function usableUserId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 1 && id.length <= MAX_USER_ID_LENGTH && !CONTROL.test(id);
}
